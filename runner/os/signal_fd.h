// Signals as file descriptors, so the lab's single poll() loop sees them.
#pragma once

#include <signal.h>

#include <initializer_list>

#include "runner/base/error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {

// Blocks `signals` for the calling thread and returns a non-blocking signalfd
// that becomes readable when one of them is pending.
Result<UniqueFd> BlockIntoSignalFd(std::initializer_list<int> signals);

// Reads and discards everything pending on a signalfd; returns the signals seen.
sigset_t DrainSignalFd(int fd);

}  // namespace proclab::os
