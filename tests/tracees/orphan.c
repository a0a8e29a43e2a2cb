// The parent exits at once; its child outlives it, is adopted, and prints
// "ppid N" with the pid of its adopter before exiting 0.
#include <stdio.h>
#include <unistd.h>

int main(void) {
  pid_t parent = getpid();
  if (fork() == 0) {
    while (getppid() == parent) usleep(1000);
    usleep(50000);
    printf("ppid %d\n", getppid());
    return 0;
  }
  return 0;
}
