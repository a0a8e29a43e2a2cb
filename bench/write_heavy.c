// Writes N blocks of 64 bytes as fast as it can (bench/writes.py):
//   write_heavy N file PATH   to a file, on fd 3: what every I/O-heavy program does
//   write_heavy N stdout      to fd 1
//   write_heavy N alias       through a dup of fd 1, as perror() writes
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  long n = atol(argv[1]);
  int fd = -1;
  if (strcmp(argv[2], "file") == 0 && argc > 3)
    fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  else if (strcmp(argv[2], "stdout") == 0)
    fd = 1;
  else if (strcmp(argv[2], "alias") == 0)
    fd = dup(1);
  if (fd < 0) return 1;
  char block[64];
  memset(block, 'x', sizeof block);
  block[63] = '\n';
  for (long i = 0; i < n; ++i) {
    // Keep a file small: its size is not what is measured.
    if (fd > 2 && i % 4096 == 0 && strcmp(argv[2], "file") == 0) lseek(fd, 0, SEEK_SET);
    if (write(fd, block, sizeof block) != (ssize_t)sizeof block) return 1;
  }
  return 0;
}
