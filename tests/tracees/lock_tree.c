// Oracle for containment. Three processes — the main one, a plain child and a
// setsid'd, double-forked daemon — each hold a shared flock on DIR/lock and
// then create DIR/held.PID. A test that can take the exclusive lock knows
// they are all gone. Nobody here exits on its own.
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

static void hold(const char* dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/lock", dir);
  int fd = open(path, O_RDONLY);  // a description of our own: our own lock
  if (fd < 0 || flock(fd, LOCK_SH) != 0) _exit(3);
  snprintf(path, sizeof path, "%s/held.%d", dir, getpid());
  close(open(path, O_CREAT | O_WRONLY, 0644));
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  if (fork() == 0) {
    setsid();
    if (fork() == 0) {
      hold(argv[1]);
      for (;;) pause();
    }
    _exit(0);
  }
  if (fork() == 0) {
    hold(argv[1]);
    for (;;) pause();
  }
  hold(argv[1]);
  for (;;) pause();
}
