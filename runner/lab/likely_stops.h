// The tasks whose stop the lab expects next, asked about before every tracee
// (Tracer::NextOf): the task just restarted (a fork's event follows its
// clone's stop, a wait's exit its entry), a child just forked (its first
// stop), and the parent of a task that just exited (its wait returns, its
// SIGCHLD arrives). A guess only: a stop of any other task is found by the
// look at every tracee that the lab makes often enough (Lab::NextStop).
#pragma once

#include <sys/types.h>

#include <array>
#include <span>

#include "runner/os/trace_stop.h"

namespace proclab {

class LikelyStops {
 public:
  // Learns from a stop just handled.
  void After(const os::TraceStop& stop);
  // The tasks to ask about first, the most recent first.
  [[nodiscard]] std::span<const pid_t> tids() const {
    return {tids_.data(), static_cast<size_t>(size_)};
  }

 private:
  void Put(pid_t tid);
  static constexpr int kKeep = 4;
  std::array<pid_t, kKeep> tids_{};
  int size_ = 0;
};

}  // namespace proclab
