// Signals as file descriptors, so the lab's single poll() loop sees them.
#pragma once

#include <poll.h>
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

namespace proclab::os {

// Waits for descriptors or a SIGCHLD, whichever comes first, without a
// signalfd read per wakeup: SIGCHLD stays blocked except inside ppoll(), where
// its (empty) handler interrupts the wait. Create once per process.
class SigchldPoller {
 public:
  SigchldPoller();
  // poll(2) semantics; returns -1/EINTR when a SIGCHLD arrived.
  int Poll(::pollfd* fds, unsigned long nfds, int timeout_ms);

 private:
  sigset_t wait_mask_;
};

}  // namespace proclab::os
