/* Tries to get out from under the tracer: PTRACE_TRACEME, then
   PTRACE_ATTACH to its own child (traced by the lab) and to its parent (the
   lab). Says what each gave, then forks once more, so the timeline shows
   whether the tracing still holds. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char* what, long rc) {
  printf("%s: %s\n", what, rc == 0 ? "allowed" : errno == EPERM ? "EPERM" : strerror(errno));
  fflush(stdout);
}

int main(void) {
  report("traceme", ptrace(PTRACE_TRACEME, 0, 0, 0));
  pid_t sibling = fork();
  if (sibling == 0) {
    for (;;) pause();
  }
  report("attach sibling", ptrace(PTRACE_ATTACH, sibling, 0, 0));
  report("attach parent", ptrace(PTRACE_ATTACH, getppid(), 0, 0));
  kill(sibling, SIGKILL);
  waitpid(sibling, NULL, 0);
  pid_t last = fork();
  if (last == 0) _exit(7);
  int status = 0;
  waitpid(last, &status, 0);
  printf("last child exited %d\n", WEXITSTATUS(status));
  return 0;
}
