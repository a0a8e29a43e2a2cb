/* A worker announces itself the way daemons do: it writes its pid to
   worker.pid and holds worker.lock while it works. Its scratch file goes to
   $TMPDIR through mkstemp and is unlinked at once, so nothing is left in
   /tmp whatever happens; the lock is removed when the work is done. The
   parent waits for the worker and reports how it ended. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void worker(void) {
  int lock = open("worker.lock", O_CREAT | O_EXCL | O_WRONLY, 0644);
  if (lock < 0) {
    perror("worker.lock");
    exit(1);
  }
  FILE* pid_file = fopen("worker.pid", "w");
  if (!pid_file) exit(1);
  fprintf(pid_file, "%d\n", getpid());
  fclose(pid_file);

  const char* tmpdir = getenv("TMPDIR");
  char scratch[4096];
  snprintf(scratch, sizeof scratch, "%s/scratch-XXXXXX", tmpdir ? tmpdir : "/tmp");
  int fd = mkstemp(scratch);
  if (fd < 0) exit(1);
  unlink(scratch); /* the open descriptor keeps the file until it is closed */
  if (write(fd, "partial sums\n", 13) != 13) exit(1);
  close(fd);

  close(lock);
  unlink("worker.lock");
  exit(0);
}

int main(void) {
  pid_t pid = fork();
  if (pid == 0) worker();
  int status;
  waitpid(pid, &status, 0);
  printf("worker %d exited with %d\n", pid, WEXITSTATUS(status));
  return 0;
}
