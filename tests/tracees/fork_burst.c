// A grandchild forks N children as fast as it can, ROUNDS times, reaping
// each round before the next; each child exits at once with its index in
// the run (mod 256), often before its parent's fork returns. Stresses the
// order in which ptrace reports a new task, its fork event and its exit.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int burst(int n, int rounds) {
  int reaped = 0;
  for (int r = 0; r < rounds; ++r) {
    for (int i = 0; i < n; ++i) {
      pid_t pid = fork();
      if (pid == 0) _exit((r * n + i) % 256);
      if (pid < 0) return 1;
    }
    while (wait(NULL) > 0) ++reaped;
  }
  printf("reaped %d\n", reaped);
  fflush(stdout);  // the caller _exit()s
  return reaped == n * rounds ? 0 : 1;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  int rounds = argc > 2 ? atoi(argv[2]) : 1;
  pid_t middle = fork();
  if (middle == 0) {
    pid_t spawner = fork();
    if (spawner == 0) _exit(burst(n, rounds));
    int status = 0;
    waitpid(spawner, &status, 0);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
  }
  int status = 0;
  waitpid(middle, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
