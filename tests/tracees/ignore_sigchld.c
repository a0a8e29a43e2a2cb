// SIGCHLD set to SIG_IGN: the kernel reaps the child itself; no zombie.
#include <signal.h>
#include <unistd.h>

int main(void) {
  signal(SIGCHLD, SIG_IGN);
  if (fork() == 0) _exit(0);
  usleep(100000);
  return 0;
}
