#include "runner/os/open_files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace proclab::os {

std::optional<bool> SameOpenFile(pid_t tid, int fd, int own_fd) {
  long r = syscall(SYS_kcmp, getpid(), tid, KCMP_FILE, own_fd, fd);
  if (r == 0) return true;
  if (r > 0) return false;
  if (errno == EBADF) return false;  // the program closed fd
  return std::nullopt;
}

bool IsNonBlocking(int own_fd) {
  int flags = fcntl(own_fd, F_GETFL);
  return flags >= 0 && (flags & O_NONBLOCK);
}

int64_t PipeRoom(int read_fd) {
  int capacity = fcntl(read_fd, F_GETPIPE_SZ);
  int queued = 0;
  if (capacity < 0 || ioctl(read_fd, FIONREAD, &queued) != 0) return -1;
  return static_cast<int64_t>(capacity) - queued;
}

}  // namespace proclab::os
