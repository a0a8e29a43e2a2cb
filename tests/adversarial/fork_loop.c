/* Forks argv[1] children (default 4000) one after another; each exits at
   once and is reaped before the next fork. Prints how long that took. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int cycles = argc > 1 ? atoi(argv[1]) : 4000;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < cycles; ++i) {
    pid_t c = fork();
    if (c == 0) _exit(0);
    if (c < 0 || waitpid(c, NULL, 0) != c) return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%d cycles in %ld ms\n", cycles,
         (long)((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000));
  return 0;
}
