/* The parent forks a child that ignores SIGTERM, SIGHUP and SIGINT in a
   process group of its own, sends it all three, and exits 0: only SIGKILL
   can end the child. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  int ready[2];
  if (pipe(ready) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    setpgid(0, 0);
    close(ready[1]);
    for (;;) pause();
  }
  close(ready[1]);
  char c;
  if (read(ready[0], &c, 1) < 0) return 1; /* EOF once the child has set itself up */
  kill(child, SIGTERM);
  kill(child, SIGHUP);
  kill(child, SIGINT);
  printf("signalled %d\n", child);
  return 0;
}
