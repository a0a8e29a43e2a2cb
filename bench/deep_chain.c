// A chain argv[1] (default 1000) processes deep: each forks the next and
// waits for it, so at the deepest point all of them are alive at once.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int left = argc > 1 ? atoi(argv[1]) : 1000;
  while (--left > 0) {
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid > 0) {
      int status;
      if (waitpid(pid, &status, 0) != pid) return 1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
  }
  return 0;
}
