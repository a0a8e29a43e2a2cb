// Floods proclab with events: forks 3 children, and all 4 processes write
// 2-byte lines to stdout and to stderr, forever (bench/reliability.py).
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 3; ++i)
    if (fork() == 0) break;
  for (;;) {
    if (write(1, "o\n", 2) < 0) return 1;
    if (write(2, "e\n", 2) < 0) return 1;
  }
}
