// /proc/PID/stat read again and again through a descriptor kept open: one
// pread where a fresh read costs an open, a read and a close. A parent in a
// fork storm has its SIGCHLD disposition read at every child's exit. A /proc
// descriptor names its process, never a later one that reuses the pid: once
// the process is gone it reads nothing, and the next Read opens anew.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>

#include "runner/os/procfs.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {

class StatFiles {
 public:
  std::optional<ProcStat> Read(pid_t pid);

 private:
  static constexpr size_t kKeep = 64;  // descriptors kept; the lowest pid's goes first
  std::map<pid_t, UniqueFd> fds_;
};

}  // namespace proclab::os
