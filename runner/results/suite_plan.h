// What a suite meant to run, written at the head of the json report (design.md
// §2.7) so that shards made on several machines can be merged and checked:
// that they ran the same suite, the same way, and that together they made
// every (scenario, attempt) pair exactly once.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/base/error.h"

namespace proclab {

struct PlannedScenario {
  std::string name;
  std::string path;       // relative to the suite (Scenario::suite_path)
  std::string file_hash;  // FNV-1a of the file's bytes: tells which file differs
  bool operator==(const PlannedScenario&) const = default;
};

// (scenario name, attempt)
using RunPair = std::pair<std::string, int>;

struct SuitePlan {
  std::string suite;    // FNV-1a of every scenario file loaded: relative path and bytes
  std::string options;  // FNV-1a of the flags that change what a run does (--program, …)
  std::vector<PlannedScenario> scenarios;  // the chosen ones, by path then name
  int repeat = 1;
  // Sharded runs: which share this is (1-based) of how many, how the pairs
  // were shared out ("count", or "durations:HEX" naming the durations used),
  // and the pairs this share was given. shard_count 0: not sharded.
  int shard_index = 0;
  int shard_count = 0;
  std::string balance;
  std::vector<RunPair> pairs;

  [[nodiscard]] size_t runs() const { return scenarios.size() * static_cast<size_t>(repeat); }
};

nlohmann::json PlanToJson(const SuitePlan& plan);
// Checks every field's type; `what` names the file in messages.
Result<SuitePlan> PlanFromJson(const nlohmann::json& j, const std::string& what);

}  // namespace proclab
