#include "runner/os/sys_error.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <string.h>
#include <unistd.h>

namespace proclab::os {

Error SysError(std::string_view call, int err) {
  return Error(fmt::format("{}: {}", call, strerror(err)));
}

Error SysError(std::string_view call) { return SysError(call, errno); }

std::string ErrnoName(int err) {
  if (const char* name = strerrorname_np(err)) return name;
  return fmt::format("errno {}", err);
}

Result<Pipe> MakePipe(bool nonblocking) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0)) != 0) return SysError("pipe2");
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Status SetNonBlocking(int fd, bool on) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return SysError(fmt::format("fcntl({}, F_GETFL)", fd));
  flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (fcntl(fd, F_SETFL, flags) < 0) return SysError(fmt::format("fcntl({}, F_SETFL)", fd));
  return {};
}

}  // namespace proclab::os
