// `proclab merge` (design.md §2.7): the results of several shards, or of
// several unsharded runs with --repeat, become the results of one suite, as
// an unsharded run of it would have made them. Checks first: every input
// ran the same suite the same way, and the shards are all there, once each.
#pragma once

#include <vector>

#include "runner/base/error.h"
#include "runner/results/results_json.h"

namespace proclab {

struct MergedResults {
  SuitePlan plan;                    // as an unsharded run writes it
  std::vector<ScenarioResult> runs;  // by (path, scenario, attempt); `file` is the path
  size_t not_run = 0;                // runs planned that no input made (an interrupted shard)
};

// Shards (all inputs sharded: each index 1…N once, their runs together every
// (scenario, attempt) pair once), or whole runs (none sharded: their
// attempts are numbered on, in the order given, so two runs of --repeat 10
// are one of --repeat 20). Any inconsistency is an Error naming the files.
Result<MergedResults> MergeResults(std::vector<ResultsFile> files);

}  // namespace proclab
