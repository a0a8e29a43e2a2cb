// Open file descriptions the lab shares with its programs (the capture
// pipes' write ends, the pty slave): whether a program's descriptor is one of
// them, and whether a write to it can come back short or fail.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace proclab::os {

// Whether descriptor `fd` of task `tid` and our `own_fd` are the same open
// file description (kcmp KCMP_FILE): then they share the O_NONBLOCK flag.
// nullopt when kcmp is unavailable (no CONFIG_CHECKPOINT_RESTORE, or refused).
std::optional<bool> SameOpenFile(pid_t tid, int fd, int own_fd);

bool IsNonBlocking(int own_fd);

// Bytes a pipe can take before a writer blocks: capacity minus what is
// queued, read from its read end. -1 when that cannot be told.
int64_t PipeRoom(int read_fd);

}  // namespace proclab::os
