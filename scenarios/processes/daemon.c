/* A daemon detaches from whoever started it: fork (the parent returns at
   once), setsid (a new session: no controlling terminal), fork again (not a
   session leader, so it can never get a terminal back), chdir("/"). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  if (fork() != 0) return 0; /* the launcher returns at once */
  setsid();
  pid_t leader = getpid();
  if (fork() != 0) _exit(0); /* the session leader goes away */
  if (chdir("/") != 0) return 1;
  while (getppid() == leader) usleep(1000); /* until the leader is gone and we are adopted */
  printf("daemon %d: session %d, parent %d\n", getpid(), getsid(0), getppid());
  fflush(stdout);
  usleep(200000); /* some work, then done */
  return 0;
}
