// A scenario's steps, run in order inside the lab (StepDriver). Each step
// either completes now, or says until when it waits; a step that fails stops
// the run (the lab kills every process) and says what happened instead.
//
// expect_output (and wait_for output) consume output like pexpect: each
// looks only at lines after the one the previous match consumed, and matches
// whole lines unless it says `partial: true` (a prompt).
//
// Keys, stdin and signals are paced (Scenario::pace): each waits until the
// program is at rest, as a person would before typing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "runner/lab/step_driver.h"
#include "runner/scenario/names.h"
#include "runner/scenario/scenario.h"

namespace proclab {

class ScenarioSteps : public StepDriver {
 public:
  explicit ScenarioSteps(const Scenario& s);
  int64_t Advance(LabControl& lab) override;
  void Finish(LabControl& lab) override;
  // Every step has run, or one failed.
  [[nodiscard]] bool done() const { return failed_ || next_ >= s_.steps.size(); }

 private:
  struct Progress {
    bool done = false;
    bool ok = false;
    std::string message;  // why it failed
    int64_t until = -1;   // when not done: wake me then (-1: on events)
    bool missed = false;  // a wait that ran out: the steps may go on after it
    std::string note;     // done and ok, with something to say (sent unsettled)
    static Progress Ok() { return {true, true, {}, -1, false, {}}; }
    static Progress Failed(std::string why) { return {true, false, std::move(why), -1, false, {}}; }
    static Progress Until(int64_t t) { return {false, false, {}, t, false, {}}; }
  };
  // `ended`: the run is over, so waiting is pointless.
  Progress Try(const Step& st, LabControl& lab, bool ended);
  const Names& NamesNow(const Timeline& t);
  void Conclude(LabControl& lab, const Progress& p);
  // Waits for the program to be at rest: nullopt once it is, or once `cap_at`
  // has passed (then `note_` says who was still busy).
  std::optional<Progress> AwaitRest(LabControl& lab, const Names& names, int64_t quiet_us,
                                    int64_t cap_at);

  const Scenario& s_;
  std::unique_ptr<Scenario> naming_;  // s_ with only the roles every assignment shares
  size_t next_ = 0;
  int64_t started_ = -1;  // when the current step began
  size_t cursor_ = 0;     // output before this event index is consumed
  size_t scanned_ = 0;    // the current step found nothing before this index
  std::optional<Names> names_;
  size_t names_at_ = 0;  // the timeline's size when names_ was made
  bool failed_ = false;
  bool rested_ = false;  // the current step found the program at rest (or gave up waiting)
  std::string note_;     // the current step's note
};

// "expect_output '发车了'", "key ctrl-c": a step in a few words.
std::string StepText(const Step& st);

}  // namespace proclab
