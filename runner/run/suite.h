// Running many scenarios: up to `jobs` labs at once from one single-threaded
// poll loop (labs are separate processes, so nothing is shared), each
// scenario `repeat` times. Each result goes to the sink as its run finishes
// and is not kept: a suite's memory does not grow with its length.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "runner/results/scenario_result.h"
#include "runner/run/scenario_run.h"

namespace proclab {

struct SuiteOptions {
  int jobs = 1;
  int repeat = 1;
  RunOptions run;
  // A shard (shard_plan.h): exactly these runs, (index into the items or
  // scenarios, attempt), in this order. Unset: every item `repeat` times.
  std::optional<std::vector<std::pair<size_t, int>>> runs;
};

SuiteSummary RunSuite(const std::vector<const Scenario*>& scenarios, const SuiteOptions& options,
                      ResultSink& sink);

// One run to make, with options of its own (grading: each submission's
// program and folder); `options.run` is then unused.
struct SuiteItem {
  const Scenario* scenario = nullptr;
  RunOptions run;
};
SuiteSummary RunSuite(const std::vector<SuiteItem>& items, const SuiteOptions& options,
                      ResultSink& sink);

}  // namespace proclab
