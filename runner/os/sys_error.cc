#include "runner/os/sys_error.h"

#include <errno.h>
#include <fmt/format.h>
#include <string.h>

namespace proclab::os {

Error SysError(std::string_view call, int err) {
  return Error(fmt::format("{}: {}", call, strerror(err)));
}

Error SysError(std::string_view call) { return SysError(call, errno); }

std::string ErrnoName(int err) {
  if (const char* name = strerrorname_np(err)) return name;
  return fmt::format("errno {}", err);
}

}  // namespace proclab::os
