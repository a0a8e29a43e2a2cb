// argv[1] (default 8) processes together write argv[2] MB (default 100) to
// stdout in 4 KiB lines, then the first reaps the others.
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int writers = argc > 1 ? atoi(argv[1]) : 8;
  long mb = argc > 2 ? atol(argv[2]) : 100;
  char line[4096];
  memset(line, 'x', sizeof line - 1);
  line[sizeof line - 1] = '\n';
  long lines = mb * 1000 * 1000 / (long)sizeof line / writers;
  for (int i = 1; i < writers; ++i)
    if (fork() == 0) break;
  for (long i = 0; i < lines; ++i)
    if (write(1, line, sizeof line) != (ssize_t)sizeof line) return 1;
  while (wait(NULL) > 0) {
  }
  return 0;
}
