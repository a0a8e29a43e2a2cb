/* The parent forks a child that keeps stdout open and blocks for ever (not
   in a timed sleep), says "parent done" and exits 0: stdout never sees EOF. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  if (fork() == 0)
    for (;;) pause();
  printf("parent done\n");
  return 0;
}
