// Statistics across repeats in a stream of results (design.md §3.10.4): a
// sink in front of the reporters that passes every result on, collects the
// figures of each (subject, scenario) with RepeatStats, and once the last
// of its expected runs is in (they finish in any order) passes on each
// across-runs verdict. `proclab run` and `proclab merge` put it in front of
// their reporters; a shard expects nothing (its share of a scenario's runs
// is not what a statistic is written about): `merge` judges them.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "runner/results/repeat_stats.h"

namespace proclab {

class RepeatJudge : public ResultSink {
 public:
  // (subject, scenario name) -> the runs of it that will come.
  using Expected = std::map<std::pair<std::string, std::string>, int>;
  RepeatJudge(ResultSink& next, Expected expected) : next_(next), expected_(std::move(expected)) {}

  void OnPlan(const SuitePlan& plan) override { next_.OnPlan(plan); }
  void OnStart(size_t runs) override { next_.OnStart(runs); }
  void OnResult(const ScenarioResult& r) override;
  void OnAcrossRuns(const AcrossRuns& a) override { next_.OnAcrossRuns(a); }
  // Adds the counts of across-runs verdicts to the summary. A scenario
  // whose runs did not all come (Ctrl-C) is not judged.
  void OnEnd(const SuiteSummary& summary) override;

  [[nodiscard]] size_t judged() const { return judged_; }
  [[nodiscard]] size_t failed() const { return failed_; }

 private:
  ResultSink& next_;
  Expected expected_;
  std::map<std::pair<std::string, std::string>, std::pair<int, RepeatStats>> arriving_;
  size_t judged_ = 0;
  size_t failed_ = 0;
};

}  // namespace proclab
