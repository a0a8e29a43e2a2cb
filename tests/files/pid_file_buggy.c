/* The negative control of scenarios/processes/pid-file.yaml: the worker
   writes its parent's pid, forgets to remove its lock, and leaves its
   scratch file in /tmp under a name of its own. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    int lock = open("worker.lock", O_CREAT | O_EXCL | O_WRONLY, 0644);
    FILE* pid_file = fopen("worker.pid", "w");
    if (lock < 0 || !pid_file) exit(1);
    fprintf(pid_file, "%d\n", getppid());
    fclose(pid_file);
    char scratch[] = "/tmp/proclab-test-scratch-XXXXXX";
    int fd = mkstemp(scratch);
    if (fd < 0 || write(fd, "partial sums\n", 13) != 13) exit(1);
    exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("worker %d exited with %d\n", pid, WEXITSTATUS(status));
  return 0;
}
