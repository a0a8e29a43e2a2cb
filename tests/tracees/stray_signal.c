// A buggy orphan: once adopted, it sends argv[1] (a signal number) to its new
// parent — the lab — and then exits 0.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int sig = argc > 1 ? atoi(argv[1]) : SIGUSR2;
  pid_t parent = getpid();
  if (fork() == 0) {
    while (getppid() == parent) usleep(1000);
    kill(getppid(), sig);
    usleep(50000);
    printf("orphan done\n");
    return 0;
  }
  return 0;
}
