/* Counts the descriptors it inherited beyond 0-2, then opens /dev/null until
   the system refuses, and says how many it got and why it stopped. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  int inherited = 0;
  DIR* d = opendir("/proc/self/fd");
  struct dirent* e;
  while (d && (e = readdir(d)))
    if (e->d_name[0] != '.' && atoi(e->d_name) > 2 && atoi(e->d_name) != dirfd(d)) ++inherited;
  if (d) closedir(d);
  printf("inherited %d fds beyond 0-2\n", inherited);
  for (long n = 0;; ++n)
    if (open("/dev/null", O_RDONLY) < 0) {
      printf("opened %ld, then %s\n", n, errno == EMFILE ? "EMFILE" : strerror(errno));
      return 0;
    }
}
