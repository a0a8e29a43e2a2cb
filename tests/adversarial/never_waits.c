/* Forks a child that exits 7 at once, never waits for it, says "forked",
   and lives on argv[1] ms (default 600): the child stays a zombie. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int ms = argc > 1 ? atoi(argv[1]) : 600;
  if (fork() == 0) _exit(7);
  printf("forked\n");
  fflush(stdout);
  usleep(ms * 1000);
  return 0;
}
