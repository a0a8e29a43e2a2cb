// What an expectation concluded, in words a student can act on.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab {

// A timing expectation's figure in one run, with the statistics across
// --repeat runs it is also judged by (design.md §3.10.4). Carried in the
// results JSON, so that `proclab merge` judges the statistics again over
// the merged runs (results/repeat_stats.h).
struct Measured {
  std::optional<double> value;  // none: this run gave no figure (the verdict says why)
  std::string unit;             // "s" (duration, cpu), "" (parallelism), "B" (rss)
  struct Stat {
    std::string stat;                // min, median, mean, p90, max
    std::optional<double> min, max;  // evaluated with this run's values (`cpus`)
    std::string written;             // "median: {max: 200ms}"
    bool operator==(const Stat&) const = default;
  };
  std::vector<Stat> stats;
  bool operator==(const Measured&) const = default;
};

struct Verdict {
  bool passed = false;
  bool skipped = false;     // could not apply here (counts as passed, and says why)
  std::string expectation;  // as written: "exit: {process: child, code: 7}"
  std::string explanation;  // what really happened, quoting the events that matter
  SourceLoc loc;            // where the expectation is written
  // Where it came from, for grading: only written expectations carry points.
  enum class Origin { kWritten, kAutomatic, kTimeout };
  Origin origin = Origin::kWritten;
  std::optional<double> points;  // `points:` as written; unset: an even share
  // The events it rests on: indices into the timeline's events, as the trace
  // JSON stores them (`events[i]`), ascending. For something that never
  // happened, the events nearest to it: what was sent or printed instead, the
  // moment a reply was awaited from, how the process ended. Empty when no
  // event bears on it (files, a skipped check).
  std::vector<size_t> evidence;
  // Set only for an expectation with statistics across repeats.
  std::optional<Measured> measured;
};

}  // namespace proclab
