// Running many scenarios: up to `jobs` labs at once from one single-threaded
// poll loop (labs are separate processes, so nothing is shared), each
// scenario `repeat` times. Results go to a sink as they finish.
#pragma once

#include <string>
#include <vector>

#include "runner/run/scenario_run.h"

namespace proclab {

class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void OnStart(size_t runs) { (void)runs; }
  virtual void OnResult(const ScenarioResult& r) = 0;
  virtual void OnEnd(const std::vector<ScenarioResult>& all, bool interrupted) {
    (void)all;
    (void)interrupted;
  }
};

struct SuiteOptions {
  int jobs = 1;
  int repeat = 1;
  RunOptions run;
};

struct SuiteOutcome {
  std::vector<ScenarioResult> results;  // in the order they finished
  bool interrupted = false;             // Ctrl-C: what ran is reported, the rest was not run
};

SuiteOutcome RunSuite(const std::vector<const Scenario*>& scenarios, const SuiteOptions& options,
                      ResultSink& sink);

}  // namespace proclab
