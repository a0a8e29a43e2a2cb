// How long the lab looks for the next stop before it sleeps (Lab::
// AwaitNextStop), learnt from the program. Each sleep costs the next stop
// SIGCHLD's delivery and the lab's wakeup; each microsecond of looking costs
// a CPU. When a stop came soon after the lab gave up and slept (within the
// longest window), the window doubles; when it came later, or never, it
// halves. A fork storm, whose stops come 20-100 us apart, gets the longest
// window and rarely sleeps; a program that stops now and then gets the
// shortest, and the lab sleeps at once. A look that lost its CPU to another
// task and found no stop after it means the CPUs are busy with the
// programs' work: the lab stops looking and the window is the shortest.
#pragma once

#include <cstdint>

namespace proclab {

class SpinWindow {
 public:
  static constexpr int64_t kShortestUs = 10;
  static constexpr int64_t kLongestUs = 200;

  [[nodiscard]] int64_t us() const { return us_; }
  // The lab looked from `started` for us() and found no stop: it sleeps.
  void GaveUp(int64_t started);
  // The first stop after that was found at `now`.
  void StopAfterSleep(int64_t now);
  // A yield of `yield_us` found no stop after it: true when it was long
  // enough to mean another task had the CPU (the window is then the
  // shortest, and the lab should sleep now).
  bool Contended(int64_t yield_us);
  static constexpr int64_t kContendedUs = 50;

 private:
  int64_t us_ = 25;
  int64_t gave_up_started_ = -1;  // when the look that gave up began; -1: none pending
};

}  // namespace proclab
