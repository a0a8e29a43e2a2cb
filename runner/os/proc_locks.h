// File locks as /proc/locks lists them: flock(2), fcntl(2) record locks
// ("POSIX") and open-file-description locks ("OFDLCK"). Pids there are the
// reader's namespace's, so the lab (PID 1 of the run's namespace, its own
// /proc mounted) sees the run's pids; locks of processes outside the
// namespace are not listed.
//
// A blocked request is listed under the lock that blocks it, as
// "ID: -> FLOCK …", one more space of indent per level when requests wait
// behind requests.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace proclab::os {

struct ProcLock {
  std::string kind;  // "flock", "posix", "ofd", or the kernel's word in lower case ("lease")
  bool write = false;
  pid_t pid = 0;  // its owner, or the waiter; -1 for OFD locks (owned by a description)
  unsigned major = 0, minor = 0;
  uint64_t ino = 0;
  // The line from the kind on ("FLOCK  ADVISORY  WRITE 3 fe:00:12 0 EOF"):
  // /proc/PID/fdinfo shows a held lock with the same text, and another id.
  std::string text;
  bool waiting = false;  // a blocked request ("->")
  int blocker = -1;      // waiting: the index of the lock it waits behind
};

// The lines of /proc/locks that parse, in order, with each request's blocker.
std::vector<ProcLock> ParseProcLocks(std::string_view text);
std::vector<ProcLock> ReadProcLocks();

// The held lock at the root of `i`'s chain of blockers (`i` itself when held).
int RootLock(const std::vector<ProcLock>& locks, int i);

}  // namespace proclab::os
