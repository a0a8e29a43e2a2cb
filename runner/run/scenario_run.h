// One run of one scenario: its lab, its steps, then the verdicts.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runner/expect/lost_output.h"
#include "runner/expect/script_judge.h"
#include "runner/lab/lab_session.h"
#include "runner/lab/scripted_actors.h"
#include "runner/os/lab_isolation.h"
#include "runner/results/scenario_result.h"
#include "runner/run/scenario_steps.h"
#include "runner/scenario/scenario.h"

namespace proclab {

struct RunOptions {
  // --program: replaces the program of every scenario that runs one.
  std::vector<std::string> program;
  os::Isolation isolation = os::Isolation::kAuto;
  bool host_network = false;  // --network host
  // The seams to the scripting layer (nullptr: scripted parts fail saying so).
  const ScriptedActors* actors = nullptr;  // runs actors written as functions
  const ScriptJudge* judge = nullptr;      // judges expectations written as code
  // One cgroup per job slot (nullptr or no group: the labs count and limit
  // the programs themselves).
  const class CgroupSlots* cgroups = nullptr;
  // Grading: each run gets a fresh private copy of this folder as its cwd
  // (os/copy_tree.h), removed when the run ends.
  std::string workdir_from;
  // Grading, as root: the run's programs use uid slot_uid_base + slot, one
  // account per job slot, which owns the run's copy (-1: LabConfig's user).
  int64_t slot_uid_base = -1;
  std::string subject;  // whose work this is (a submission), copied into results
  // --cpus: the CPUs every run is pinned to (os::ChooseCpus), in place of
  // each scenario's `cpus:`; empty: the scenario's.
  std::vector<int> cpus;
};

class ScenarioRun {
 public:
  // `slot`: the job slot, whose cgroup (if any) the run's programs go in.
  static std::unique_ptr<ScenarioRun> Start(const Scenario& s, const RunOptions& options,
                                            int attempt, int slot = 0);
  int slot() const { return slot_; }
  // -1 when there is nothing to wait for (it failed before starting).
  [[nodiscard]] int fd() const { return session_ ? session_->fd() : -1; }
  // False when the run has finished: its lab, and the terminal rerun that
  // output lost in a stdio buffer may call for (expect/lost_output.h).
  bool Pump();
  void Cancel() {
    cancelled_ = true;
    if (session_) session_->Cancel();
  }
  ScenarioResult Finish();
  ~ScenarioRun();

 private:
  ScenarioRun(const Scenario& s, const RunOptions& options, int attempt);
  // A fresh work folder (when grading) and steps, then the lab.
  Status StartLab();
  void RemoveWorkdir();
  // The finished lab's timeline, judged.
  ScenarioResult Judged();
  const Scenario& s_;
  const RunOptions& options_;
  int attempt_;
  int slot_ = 0;
  int64_t started_us_;
  LabConfig config_;
  std::unique_ptr<ScenarioSteps> steps_;
  std::unique_ptr<class StopWhenStuck> rerun_end_;  // the terminal rerun's driver
  std::unique_ptr<LabSession> session_;
  std::string workdir_;  // the run's private copy of options.workdir_from
  std::string error_;
  bool internal_error_ = false;
  bool cancelled_ = false;
  // The run through the pipe, judged, while its rerun on a terminal goes on.
  std::optional<ScenarioResult> first_;
  std::vector<LostOutputSuspect> suspects_;
};

// Builds the lab configuration for a scenario (and its C program, if any).
Result<LabConfig> LabConfigFor(const Scenario& s, const RunOptions& options);

}  // namespace proclab
