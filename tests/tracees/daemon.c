// The classic daemon escape: fork, setsid, fork again; the grandchild sleeps
// forever while everyone above it exits 0 at once.
#include <stdio.h>
#include <unistd.h>

int main(void) {
  if (fork() == 0) {
    setsid();
    if (fork() == 0) {
      printf("daemon %d up\n", getpid());
      fflush(stdout);
      for (;;) pause();
    }
    _exit(0);
  }
  usleep(50000);
  return 0;
}
