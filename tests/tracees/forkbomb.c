// Every process forks as fast as it can, forever; failed forks are retried.
#include <unistd.h>

int main(void) {
  for (;;) fork();
}
