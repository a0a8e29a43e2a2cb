// Forks three sleepers, then kill(-1, SIGKILL): everything it may signal dies,
// except itself. It reports how many children died of SIGKILL.
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 3; ++i)
    if (fork() == 0) {
      for (;;) pause();
    }
  usleep(50000);
  kill(-1, SIGKILL);
  int killed = 0, status = 0;
  while (wait(&status) > 0)
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++killed;
  printf("killed %d\n", killed);
  return 0;
}
