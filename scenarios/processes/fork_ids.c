/* fork() returns twice: 0 in the child, the child's pid in the parent.
   getpid() and getppid() tell each process who it is and who made it. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    printf("child: getpid()=%d getppid()=%d\n", getpid(), getppid());
    return 0;
  }
  printf("parent: getpid()=%d fork() returned %d\n", getpid(), pid);
  waitpid(pid, NULL, 0);
  return 0;
}
