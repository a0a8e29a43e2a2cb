// Sharing a suite's runs out among machines (design.md §2.7). A shard is one
// of N shares of the (scenario, attempt) pairs, so 20 repeats of a scenario
// spread over 4 machines still add up to 20 runs of it when merged. Every
// shard computes the same split from the same inputs, with no coordination.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/results/results_json.h"
#include "runner/results/suite_plan.h"

namespace proclab {

struct ShardChoice {
  int index = 0;       // 1-based
  int count = 0;       // 0: not sharded
  std::string source;  // where it came from, for messages: "CI_NODE_INDEX=2, CI_NODE_TOTAL=4"
};

// The environment, as a function (tests pass a map).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup ProcessEnvironment();

// `spec` is --shard: "I/N" (1 <= I <= N), or "auto", which reads the engine's
// variables, first found wins:
//   PROCLAB_SHARD_INDEX (0-based: GitHub's strategy.job-index) and PROCLAB_SHARDS;
//   JOB_COMPLETION_INDEX (Kubernetes Indexed Job, 0-based) and the count from
//     --shards or PROCLAB_SHARDS (Kubernetes gives none);
//   SLURM_ARRAY_TASK_ID, minus SLURM_ARRAY_TASK_MIN, over SLURM_ARRAY_TASK_STEP
//     (1 when unset), with SLURM_ARRAY_TASK_COUNT;
//   CI_NODE_INDEX (GitLab parallel:, 1-based) and CI_NODE_TOTAL.
// `shards` is --shards N (0: not given); it supplies or must agree with the count.
Result<ShardChoice> ChooseShard(const std::string& spec, int shards, const EnvLookup& env);

// Seconds per run of each scenario, from an earlier result (--durations).
using Durations = std::map<std::string, double>;
// Each scenario's mean time per run in an earlier json report; runs cut
// short by Ctrl-C do not count.
Durations DurationsOf(const ResultsFile& earlier);
// FNV-1a of the durations, so shards that balanced differently are told apart.
std::string DurationsFingerprint(const Durations& d);

// Splits `pairs` (in the suite's canonical order) into `count` shares. Without
// durations, the k-th pair goes to share k mod count (the first design's
// "every N-th"). With them, longest first, each to the share with the least
// time so far (ties: the lower share), as knapsack does; a scenario the
// durations do not know counts as their mean.
std::vector<std::vector<RunPair>> SharePairs(const std::vector<RunPair>& pairs, int count,
                                             const Durations* durations);

}  // namespace proclab
