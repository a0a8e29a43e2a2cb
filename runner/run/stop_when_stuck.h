// The terminal rerun (expect/lost_output.h) is there only to see what a
// terminal shows. Once its steps are done and every process is stuck for
// good (Activity::stuck) and quiet, nothing more will be shown: the rerun
// ends there instead of at the scenario's timeout, which a run that hung in
// pause() would otherwise pay twice. The first run's verdicts never depend
// on it; a pending alarm(), which /proc cannot show, would only cost the
// note what it printed after the alarm.
#pragma once

#include <cstdint>

#include "runner/lab/step_driver.h"
#include "runner/run/scenario_steps.h"

namespace proclab {

class StopWhenStuck : public StepDriver {
 public:
  static constexpr int64_t kQuietUs = 300'000;  // stuck and silent this long: over
  static constexpr int64_t kPollUs = 100'000;

  explicit StopWhenStuck(ScenarioSteps* steps) : steps_(steps) {}
  int64_t Advance(LabControl& lab) override;
  void Finish(LabControl& lab) override {
    if (steps_) steps_->Finish(lab);
  }

 private:
  ScenarioSteps* steps_;  // nullptr: the scenario has none
  int64_t stuck_since_ = -1;
};

}  // namespace proclab
