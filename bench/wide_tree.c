// argv[1] (default 1000) children alive at once: each blocks reading a pipe
// until the parent has forked them all and closes its end; then all exit and
// the parent reaps them.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  int gate[2];
  if (pipe(gate) != 0) return 1;
  for (int i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
      char c;
      close(gate[1]);
      ssize_t got = read(gate[0], &c, 1);  // EOF once the parent closes its end
      _exit(got == 0 ? 0 : 1);
    }
  }
  close(gate[1]);
  int bad = 0, status;
  while (wait(&status) > 0) bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
  return bad;
}
