// Writes argv[1] bytes to stdout and argv[2] bytes to stderr, in 8 KiB writes,
// without reading anything: a runner that drains only at exit deadlocks here.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void flood(int fd, long total) {
  char buf[8192];
  memset(buf, 'x', sizeof buf);
  for (long i = 0; i < (long)sizeof buf; i += 64) buf[i + 63] = '\n';
  while (total > 0) {
    long n = total < (long)sizeof buf ? total : (long)sizeof buf;
    ssize_t w = write(fd, buf, (size_t)n);
    if (w <= 0) exit(1);
    total -= w;
  }
}

int main(int argc, char** argv) {
  flood(1, argc > 1 ? atol(argv[1]) : 0);
  flood(2, argc > 2 ? atol(argv[2]) : 0);
  return 0;
}
