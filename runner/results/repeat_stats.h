// The one model of repeats for statistics across runs (design.md §3.10.4):
// fed the finished runs of a scenario in any order (-j, shards, merged
// reports), it judges each expectation that states a statistic (`median:
// {max: 200ms}`) over the runs' figures, and shows their distribution.
// `proclab run` (through RepeatJudge), `proclab merge` and grading all use it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runner/results/scenario_result.h"

namespace proclab {

// The statistic `stat` (min, median, mean, p90, max) of `values` (not
// empty). median: the middle value, or the mean of the two middle ones;
// p90: the nearest rank, the ⌈0.9·n⌉-th smallest, a figure some run really
// had. One value is every statistic of itself.
double Statistic(const std::string& stat, std::vector<double> values);

struct Distribution {
  size_t n = 0;
  double min = 0, median = 0, mean = 0, p90 = 0, max = 0;
};
Distribution Distribute(const std::vector<double>& values);

// One expectation with statistics, judged across the runs of its scenario.
struct AcrossRuns {
  std::string scenario, subject, file, path;
  std::string expectation;  // as the per-run verdicts write it
  SourceLoc loc;
  std::string unit;
  int runs = 0;                                // runs judged (each with this verdict)
  std::vector<std::pair<int, double>> values;  // (attempt, figure), by attempt
  std::vector<int> missing;                    // attempts that gave no figure
  Distribution distribution;                   // of the figures
  struct Stat {
    std::string written;  // "median: {max: 200ms}"
    std::string stat;
    std::optional<double> min, max;
    std::optional<double> value;  // unset: no figure at all
    bool passed = false;
  };
  std::vector<Stat> stats;
  bool passed = false;
  std::string explanation;  // the figures, each statistic and its bound

  // "name: duration: {…} across 5 runs"
  [[nodiscard]] std::string DisplayName() const;
};

// A figure as the expectation's kind writes it: 0.152s, 1.30, 12.0MiB.
std::string FormatFigure(double value, const std::string& unit);

class RepeatStats {
 public:
  // A finished run; runs of other scenarios, cancelled runs and runs
  // without verdicts (they could not start) are ignored. Keeps only the
  // measured verdicts, not the run.
  void Add(const ScenarioResult& r);
  // One measured verdict of run `attempt` (grading folds scores, not results).
  void Add(int attempt, const std::string& expectation, const SourceLoc& loc, const Measured& m);
  // Each expectation with statistics, in the order the runs list them.
  [[nodiscard]] std::vector<AcrossRuns> Judge() const;
  [[nodiscard]] bool empty() const { return order_.empty(); }

 private:
  struct Seen {
    AcrossRuns base;
    std::vector<std::pair<int, Measured>> runs;  // (attempt, its figure and bounds)
  };
  Seen& Note(int attempt, const std::string& expectation, const SourceLoc& loc, const Measured& m);
  std::vector<std::string> order_;
  std::map<std::string, Seen> seen_;  // by where it is written and its text
};

}  // namespace proclab
