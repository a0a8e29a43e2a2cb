// The child exits 7 at once; the parent waits only after argv[1] ms, so the
// child is a zombie for that long. Then the parent reaps it with waitpid.
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int delay_ms = argc > 1 ? atoi(argv[1]) : 200;
  pid_t child = fork();
  if (child == 0) _exit(7);
  struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 7 ? 0 : 1;
}
