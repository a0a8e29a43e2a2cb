// A bound on a statistic of a timing figure across the runs of --repeat:
// `duration: {process: worker, median: {max: 200ms}}` (docs/design.md
// §3.10.4). The figure is the one the expectation measures in each run
// (duration and cpu: seconds; parallelism: a ratio; rss: bytes); the bounds
// are written in the kind's own syntax and evaluated against each run's
// values (`cpus`), then judged across the runs (results/repeat_stats.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/scenario/number_expr.h"

namespace proclab {

enum class RepeatStat { kMin, kMedian, kMean, kP90, kMax };

// "min", "median", "mean", "p90", "max": the keys, and the names results use.
const char* RepeatStatName(RepeatStat s);
const std::vector<std::string>& RepeatStatNames();

struct StatBound {
  RepeatStat stat = RepeatStat::kMedian;
  std::optional<NumberExpr> min, max;
  SourceLoc loc;  // where the statistic's key is written
  // "median: {max: 200ms}", as written (bounds by their text).
  [[nodiscard]] std::string Describe() const;
};

}  // namespace proclab
