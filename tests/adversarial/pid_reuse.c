/* Makes a pid be reused at once: child A exits and is reaped, then (as root,
   through ns_last_pid) child B gets A's pid. B announces itself, lives 1s and
   exits 0. A step that signals A must not reach B. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t a = fork();
  if (a == 0) _exit(0);
  waitpid(a, NULL, 0);
  printf("a %d\n", a);
  fflush(stdout);
  FILE* f = fopen("/proc/sys/kernel/ns_last_pid", "w");
  if (!f || fprintf(f, "%d", a - 1) < 0 || fclose(f) != 0) {
    printf("cannot set ns_last_pid: no reuse\n");
    return 3;
  }
  pid_t b = fork();
  if (b == 0) {
    printf("b %d%s\n", getpid(), getpid() == a ? " reused" : "");
    fflush(stdout);
    sleep(1);
    _exit(0);
  }
  int status = 0;
  waitpid(b, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
