// The tasks whose stop the lab expects next, asked about before every tracee
// (Tracer::NextOf): the task just restarted (a fork's event follows its
// clone's stop, a wait's exit its entry), a child just forked (its first
// stop), and the parent of a task that just exited (its wait returns, its
// SIGCHLD arrives). A guess only: a stop of any other task is still found by
// the full look that follows a miss, and every 16th look is a full one first,
// so a task that keeps stopping cannot hold back the others' stops.
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
  // The tasks to ask about first; empty when a full look is due.
  std::span<const pid_t> Next();

 private:
  void Put(pid_t tid);
  static constexpr int kKeep = 4;
  static constexpr int kFullLookEvery = 16;
  std::array<pid_t, kKeep> tids_{};
  int size_ = 0;
  int looks_ = 0;
};

}  // namespace proclab
