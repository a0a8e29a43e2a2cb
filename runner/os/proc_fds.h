// A process's open descriptors as /proc shows them: what each refers to
// (/proc/PID/fd/N), how it was opened and which file locks it holds
// (/proc/PID/fdinfo/N). Read at a timeout, to say what a blocked read waits
// on, who still holds a pipe's write end, and which file a lock is on.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "runner/os/procfs.h"

namespace proclab::os {

struct OpenFd {
  int fd = -1;
  std::string target;  // "pipe:[123]", "/dev/pts/0", "socket:[9]", a path
  FileId id;           // what it refers to: the two ends of a pipe share one
  int access = -1;     // O_RDONLY, O_WRONLY or O_RDWR (-1: unknown)
  // The locks held through it, as fdinfo lists them without their numbers:
  // "FLOCK  ADVISORY  WRITE 3 fe:00:12 0 EOF" (ProcLock::text).
  std::vector<std::string> locks;
};

// At most `max` descriptors, lowest first; empty when the process is gone.
std::vector<OpenFd> ReadOpenFds(pid_t pid, size_t max = 256);

// The fdinfo text's access mode and "lock:" lines (for tests).
void ParseFdinfo(const std::string& text, OpenFd* fd);

}  // namespace proclab::os
