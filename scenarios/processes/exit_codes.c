/* A child's exit status comes back to its parent through wait(). The macros
   WIFEXITED/WEXITSTATUS and WIFSIGNALED/WTERMSIG tell "exited with code N"
   apart from "was killed by signal N". */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  int codes[] = {0, 7, 255, 256 + 3}; /* only the low 8 bits survive: 259 arrives as 3 */
  for (int i = 0; i < 4; i++) {
    pid_t pid = fork();
    if (pid == 0) exit(codes[i]);
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) printf("exit(%d) -> WEXITSTATUS %d\n", codes[i], WEXITSTATUS(status));
  }
  pid_t pid = fork();
  if (pid == 0) {
    pause();
    return 0;
  }
  kill(pid, SIGTERM);
  int status;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) printf("killed -> WTERMSIG %d\n", WTERMSIG(status));
  return 0;
}
