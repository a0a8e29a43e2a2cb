/* Tries to type a command into a terminal: TIOCSTI on fds 0-2 and on
   /dev/tty, and TIOCLINUX. Says what each gave, then writes its last words
   without a newline and exits at once. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int inject(int fd) {
  for (const char* p = "echo INJECTED\n"; *p; ++p)
    if (ioctl(fd, TIOCSTI, p) != 0) return errno;
  return 0;
}

int main(void) {
  const char* names[] = {"fd 0", "fd 1", "fd 2", "/dev/tty"};
  int fds[] = {0, 1, 2, open("/dev/tty", O_RDWR | O_NOCTTY)};
  for (int i = 0; i < 4; ++i) {
    int err = fds[i] < 0 ? errno : inject(fds[i]);
    printf("TIOCSTI on %s: %s\n", names[i], err ? strerror(err) : "typed");
  }
  char request[2] = {11, 0}; /* TIOCL_GETFGCONSOLE */
  printf("TIOCLINUX: %s\n", ioctl(0, TIOCLINUX, request) == 0 ? "allowed" : strerror(errno));
  printf("last words");
  fflush(stdout);
  _exit(0);
}
