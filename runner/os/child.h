// Child owns one forked process, as reproc's process handle does: move-only;
// when it is dropped unfinished, it stops the process with an escalating
// policy — a signal of your choosing, a grace period, then SIGKILL — and
// reaps it, so no child is ever forgotten. A child whose reaping passes to
// someone else (the tracer, for the program under test) is Release()d.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "runner/base/error.h"

namespace proclab::os {

struct StopPolicy {
  int signal = SIGTERM;          // asked first (0: none, only wait for the grace period)
  int64_t grace_us = 1'000'000;  // then SIGKILL
};

class Child {
 public:
  Child() = default;
  explicit Child(pid_t pid, StopPolicy policy = {}) : pid_(pid), policy_(policy) {}
  ~Child() { Stop(); }
  Child(Child&& other) noexcept
      : pid_(other.Release()), policy_(other.policy_), status_(other.status_) {}
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] bool owned() const { return pid_ > 0; }
  // Its wait status once reaped.
  [[nodiscard]] std::optional<int> status() const { return status_; }

  // Waits for it to end (EINTR is retried) and returns its wait status.
  Result<int> Wait();
  // Reaps it if it has ended; nullopt while it runs.
  std::optional<int> Poll();
  // The stop policy: the signal, up to the grace period, SIGKILL; reaped.
  // Returns its wait status (nullopt when there was nothing to stop).
  std::optional<int> Stop();
  // Someone else reaps it from now on; this handle forgets it.
  pid_t Release() {
    const pid_t p = pid_;
    pid_ = -1;
    return p;
  }

 private:
  pid_t pid_ = -1;
  StopPolicy policy_;
  std::optional<int> status_;
};

}  // namespace proclab::os
