// Feeds the gradebook (and the grading cache) as runs finish, and shows
// progress. On a terminal: a status line (done of total, failures, ETA)
// rewritten in place, with a line kept for each failed run; elsewhere (CI, a
// file): one plain line per finished run. Only the runs this grading makes
// count: pairs reused from a previous grading are not in done/total or the ETA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "runner/cli/grade_resume.h"
#include "runner/cli/grade_shard.h"
#include "runner/grade/gradebook.h"
#include "runner/results/scenario_result.h"

namespace proclab::cli {

class GradeProgress : public ResultSink {
 public:
  GradeProgress(Gradebook& book, GradeResume& resume, bool live, GradeShard* shard = nullptr)
      : book_(book), resume_(resume), live_(live), shard_(shard) {}
  void OnStart(size_t planned) override;
  void OnResult(const ScenarioResult& r) override;
  void OnEnd(const SuiteSummary&) override;

 private:
  // "12/30 runs · 3 failed · ETA 1m20s"
  [[nodiscard]] std::string Status() const;

  Gradebook& book_;
  GradeResume& resume_;
  bool live_;
  GradeShard* shard_;  // --shard: keeps every run's record for shard.json
  size_t planned_ = 0, done_ = 0, failed_ = 0;
  int64_t started_us_ = 0;
};

}  // namespace proclab::cli
