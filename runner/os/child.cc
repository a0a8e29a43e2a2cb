#include "runner/os/child.h"

#include <errno.h>
#include <sys/wait.h>
#include <time.h>

#include <fmt/format.h>

#include "runner/base/clock.h"
#include "runner/os/sys_error.h"

namespace proclab::os {

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    Stop();
    pid_ = other.Release();
    policy_ = other.policy_;
    status_ = other.status_;
  }
  return *this;
}

Result<int> Child::Wait() {
  if (pid_ <= 0) {
    if (status_) return *status_;
    return Error("no child to wait for");
  }
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0) {
    if (errno == EINTR) continue;
    return SysError(fmt::format("waitpid({})", pid_));
  }
  pid_ = -1;
  status_ = status;
  return status;
}

std::optional<int> Child::Poll() {
  if (pid_ <= 0) return status_;
  int status = 0;
  pid_t got;
  do {
    got = waitpid(pid_, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == 0) return std::nullopt;
  pid_ = -1;
  if (got == static_cast<pid_t>(-1)) return std::nullopt;  // not ours after all (ECHILD)
  status_ = status;
  return status;
}

std::optional<int> Child::Stop() {
  if (pid_ <= 0) return std::nullopt;
  if (auto done = Poll()) return done;
  if (pid_ <= 0) return std::nullopt;
  if (policy_.signal) kill(pid_, policy_.signal);
  const int64_t deadline = MonotonicUs() + policy_.grace_us;
  while (MonotonicUs() < deadline) {
    if (auto done = Poll()) return done;
    if (pid_ <= 0) return std::nullopt;
    timespec pause{0, 2'000'000};
    nanosleep(&pause, nullptr);
  }
  kill(pid_, SIGKILL);
  auto status = Wait();
  return status ? std::optional<int>(*status) : std::nullopt;
}

}  // namespace proclab::os
