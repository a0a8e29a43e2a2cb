// What a finished run produced: which scenario it was, its verdicts, its
// failed steps and its timeline. Results outlive the loaded scenarios and the
// labs that made them: reports are written from them, and (later) merged or
// re-read, so they carry the scenario's identity by value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runner/expect/verdict.h"
#include "runner/results/suite_plan.h"
#include "runner/timeline/timeline.h"

namespace proclab {

struct AcrossRuns;  // repeat_stats.h

struct ScenarioResult {
  std::string scenario;  // its name
  std::string subject;   // grading: the submission it ran (empty for `run`)
  std::string file;      // as given on the command line
  std::string path;      // relative to the suite (Scenario::suite_path); empty: unknown
  std::string description;
  std::vector<std::string> tags;
  double points = 1;
  int attempt = 0;  // with --repeat: 0, 1, …
  bool passed = false;
  int64_t wall_us = 0;          // how long the run took
  std::string error;            // could not start / compile / the lab failed
  bool internal_error = false;  // `error` is proclab's fault, not the scenario's
  bool cancelled = false;       // cut short by Ctrl-C or SIGTERM: its verdicts are partial
  // Run once more with stdout on a terminal, to tell output lost in a stdio
  // buffer from output never written (expect/lost_output.h). The verdicts
  // and the timeline are the first run's.
  bool tty_rerun = false;
  std::vector<StepResult> failed_steps;
  // Grading: the steps that carry points, and whether each was met.
  struct GradedStep {
    std::string step;  // "step 4: expect_output '发车了'"
    bool ok = false;
    double points = 0;
    std::string message;  // why it failed
  };
  std::vector<GradedStep> graded_steps;
  std::vector<Verdict> verdicts;
  // With alternative role assignments: which one the verdicts were judged
  // under, and why ("judged with role assignment 2 of 2 (…)").
  std::string roles_note;
  // The actor or role name of each process, by its record id (ProcessRecord::id),
  // under the role assignment the verdicts were judged with: pictures label
  // lanes with them.
  std::map<int, std::string> process_names;
  Timeline timeline;

  // The first reason it failed, in one line.
  [[nodiscard]] std::string Reason() const;
  // "name", or "name #3" for the third attempt.
  [[nodiscard]] std::string DisplayName() const;
};

// Counts of a whole suite, all a reporter gets at the end: results are
// streamed to the sinks one by one and not kept.
struct SuiteSummary {
  size_t planned = 0;  // runs the suite meant to make
  size_t runs = 0;     // runs that finished
  size_t passed = 0;
  size_t failed = 0;
  size_t internal_errors = 0;
  bool interrupted = false;  // Ctrl-C: the runs not made are not reported
  // Statistics across repeats (repeat_judge.h): expectations judged across
  // the runs of their scenario, and how many of them failed (status 1).
  size_t across = 0;
  size_t across_failed = 0;
};

// Reporters are sinks of one result stream.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // What the suite means to run, before OnStart: the json report writes it
  // so that shards can be merged (suite_plan.h).
  virtual void OnPlan(const SuitePlan& plan) { (void)plan; }
  virtual void OnStart(size_t runs) { (void)runs; }
  virtual void OnResult(const ScenarioResult& r) = 0;
  // An expectation with statistics judged across every run of its scenario
  // (repeat_stats.h), after the last of them.
  virtual void OnAcrossRuns(const AcrossRuns& a) { (void)a; }
  virtual void OnEnd(const SuiteSummary& summary) { (void)summary; }
};

}  // namespace proclab
