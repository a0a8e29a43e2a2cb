#include "runner/run/stop_when_stuck.h"

#include <algorithm>

namespace proclab {

int64_t StopWhenStuck::Advance(LabControl& lab) {
  const int64_t wake = steps_ ? steps_->Advance(lab) : -1;
  if (steps_ && !steps_->done()) return wake;
  const int64_t now = lab.Now();
  const Activity a = lab.ReadActivity();
  if (!a.stuck) {
    stuck_since_ = -1;
    return now + kPollUs;
  }
  if (stuck_since_ < 0) stuck_since_ = now;
  if (now - std::max(stuck_since_, a.last_output_us) >= kQuietUs) {
    lab.Abort("the terminal rerun was over: every process was stuck waiting");
    return -1;
  }
  return now + kPollUs;
}

}  // namespace proclab
