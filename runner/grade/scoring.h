// Partial credit (docs/grading.md): a scenario's points are shared among the
// expectations its author wrote — those with `points:` take them, the rest
// split what is left evenly. Automatic checks (no_leaks, no_zombies) carry
// points only when listed; a timeout carries none but is flagged. With
// --repeat, a policy folds the runs of one scenario into one score.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/results/scenario_result.h"

namespace proclab {

struct ItemScore {
  std::string expectation;
  std::string explanation;
  bool passed = false;
  double points = 0;  // what it is worth
  double earned = 0;
  // A timing figure with statistics across repeats (design.md §3.10.4):
  // FoldRepeats judges the item across the runs.
  std::optional<Measured> measured;

  bool operator==(const ItemScore&) const = default;
};

struct RunScore {
  double score = 0;
  double max = 0;
  std::vector<ItemScore> items;
  std::string error;  // the run could not be judged (did not start, a failed build, …)
  bool timeout = false;
  // The timeout's explanation: which process was stuck in what (expect/hang.h).
  std::string timeout_explanation;
  bool passed = false;
  // Which role assignment the run was judged with, when the scenario lists
  // several ("judged with role assignment 2 of 2 (…)"); empty otherwise.
  std::string roles;

  bool operator==(const RunScore&) const = default;
};

// Scores one finished run of a scenario worth `max` points.
RunScore ScoreRun(const ScenarioResult& r, double max);

// min: the lowest run's score; median: the median run's; all: nothing unless
// every run passed. Then an item with statistics across repeats earns its
// points in the chosen run only when its statistics hold over all the runs
// (results/repeat_stats.h, the model `run` and `merge` use), and its
// explanation becomes the distribution.
enum class RepeatPolicy { kMin, kMedian, kAll };
struct Folded {
  RunScore chosen;  // the run whose score counts
  int runs = 0;
  int passed = 0;
  [[nodiscard]] bool flaky() const { return passed > 0 && passed < runs; }
};
Folded FoldRepeats(std::vector<RunScore> runs, RepeatPolicy policy);

// `score` rounded to a multiple of `step` (half away from zero).
double RoundTo(double score, double step);

}  // namespace proclab
