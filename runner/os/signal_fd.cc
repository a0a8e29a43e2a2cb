#include "runner/os/signal_fd.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "runner/os/sys_error.h"

namespace proclab::os {

Result<UniqueFd> BlockIntoSignalFd(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : signals) sigaddset(&set, sig);
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return SysError("sigprocmask(SIG_BLOCK)");
  int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return SysError("signalfd");
  return UniqueFd(fd);
}

sigset_t DrainSignalFd(int fd) {
  sigset_t seen;
  sigemptyset(&seen);
  signalfd_siginfo info[16];
  for (;;) {
    ssize_t n = read(fd, info, sizeof info);
    if (n <= 0) break;
    for (size_t i = 0; i < static_cast<size_t>(n) / sizeof info[0]; ++i)
      sigaddset(&seen, static_cast<int>(info[i].ssi_signo));
  }
  return seen;
}

}  // namespace proclab::os

namespace proclab::os {
namespace {
void OnSigchld(int) {}
}  // namespace

SigchldPoller::SigchldPoller() {
  struct sigaction sa {};
  sa.sa_handler = OnSigchld;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the point is to interrupt ppoll
  sigaction(SIGCHLD, &sa, nullptr);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &wait_mask_);
  sigdelset(&wait_mask_, SIGCHLD);
}

int SigchldPoller::Poll(::pollfd* fds, unsigned long nfds, int timeout_ms) {
  timespec ts{timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
  return ppoll(fds, nfds, timeout_ms < 0 ? nullptr : &ts, &wait_mask_);
}

}  // namespace proclab::os
