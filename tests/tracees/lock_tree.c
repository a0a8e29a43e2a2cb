// Oracle for containment: every process of this tree holds a shared flock on
// argv[1]; a test that can take the exclusive lock knows they are all gone.
// Builds a setsid'd double-forked daemon and a plain child, prints "ready".
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0 || flock(fd, LOCK_SH) != 0) return 3;
  // Each fork gets its own open file description, so each holds its own lock.
  if (fork() == 0) {
    setsid();
    if (fork() == 0) {
      int own = open(argv[1], O_RDONLY);
      flock(own, LOCK_SH);
      for (;;) pause();
    }
    _exit(0);
  }
  if (fork() == 0) {
    int own = open(argv[1], O_RDONLY);
    flock(own, LOCK_SH);
    for (;;) pause();
  }
  usleep(100000);
  printf("ready\n");
  fflush(stdout);
  for (;;) pause();
}
