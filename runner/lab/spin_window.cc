#include "runner/lab/spin_window.h"

#include <algorithm>

namespace proclab {

void SpinWindow::GaveUp(int64_t started) { gave_up_started_ = started; }

void SpinWindow::StopAfterSleep(int64_t now) {
  if (gave_up_started_ < 0) return;
  // An upper bound on when the stop came: the wakeup's latency is in it.
  if (now - gave_up_started_ <= kLongestUs)
    us_ = std::min(kLongestUs, us_ * 2);
  else
    us_ = std::max(kShortestUs, us_ / 2);
  gave_up_started_ = -1;
}

bool SpinWindow::Contended(int64_t yield_us) {
  if (yield_us < kContendedUs) return false;
  us_ = kShortestUs;
  return true;
}

}  // namespace proclab
