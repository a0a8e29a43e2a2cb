/* vfork, and the child neither execs nor exits: the parent stays suspended
   in vfork for ever. */
#include <unistd.h>

int main(void) {
  if (vfork() == 0)
    for (;;) pause();
  return 0;
}
