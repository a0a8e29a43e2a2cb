// Writes ARGV[1] numbered 9-byte lines to a non-blocking stdout pipe, shrunk
// to 4 KiB, in 60 KiB writes, retrying after EAGAIN and after partial writes,
// as event loops (libuv, asyncio) do. With "reopen" as ARGV[2], stdout is
// first reopened through /proc/self/fd/1: the same pipe, but an open file
// description of its own (the lab cannot see its flags). Reports on stderr how often each happened,
// so a test knows the retries it meant to cause did happen.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long lines = argc > 1 ? atol(argv[1]) : 100000;
  if (lines < 0 || lines > 10000000) return 2;
  char* text = malloc((size_t)lines * 9 + 1);
  if (!text) return 1;
  for (long i = 0; i < lines; ++i) snprintf(text + i * 9, 10, "%08ld\n", i % 100000000);
  if (argc > 2 && strcmp(argv[2], "reopen") == 0) {
    int fd = open("/proc/self/fd/1", O_WRONLY);
    if (fd < 0 || dup2(fd, 1) != 1) return 5;
    close(fd);
  }
  // The smallest pipe makes every 60 KiB write partial or EAGAIN.
  if (fcntl(1, F_SETPIPE_SZ, 4096) < 0) return 4;
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
  const size_t total = (size_t)lines * 9;
  size_t done = 0;
  long eagain = 0, partial = 0;
  while (done < total) {
    size_t n = total - done < 61440 ? total - done : 61440;
    ssize_t w = write(1, text + done, n);
    if (w < 0) {
      if (errno != EAGAIN) return 2;
      ++eagain;
      struct timespec ts = {0, 200000};
      nanosleep(&ts, NULL);
      continue;
    }
    if ((size_t)w < n) ++partial;
    done += (size_t)w;
  }
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
  char report[64];
  int len = snprintf(report, sizeof report, "eagain %ld partial %ld\n", eagain, partial);
  if (write(2, report, (size_t)len) != len) return 3;
  return 0;
}
