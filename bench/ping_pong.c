// argv[1] (default 100000) SIGUSR1 round trips between a parent and its
// child. Each waits for the other's signal (sigwaitinfo, with SIGUSR1
// blocked) before it sends its own, so no signal is ever coalesced.
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    for (long i = 0; i < n; ++i) {
      if (sigwaitinfo(&usr1, NULL) != SIGUSR1) _exit(1);
      kill(parent, SIGUSR1);
    }
    _exit(0);
  }
  for (long i = 0; i < n; ++i) {
    kill(child, SIGUSR1);
    if (sigwaitinfo(&usr1, NULL) != SIGUSR1) return 1;
  }
  int status;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
