#include "runner/results/repeat_judge.h"

namespace proclab {

void RepeatJudge::OnResult(const ScenarioResult& r) {
  next_.OnResult(r);
  const std::pair<std::string, std::string> key{r.subject, r.scenario};
  auto want = expected_.find(key);
  if (want == expected_.end()) return;
  auto& [count, stats] = arriving_[key];
  stats.Add(r);
  if (++count < want->second) return;
  for (const AcrossRuns& a : stats.Judge()) {
    ++judged_;
    failed_ += !a.passed;
    next_.OnAcrossRuns(a);
  }
  arriving_.erase(key);
  expected_.erase(want);
}

void RepeatJudge::OnEnd(const SuiteSummary& summary) {
  SuiteSummary s = summary;
  s.across += judged_;
  s.across_failed += failed_;
  next_.OnEnd(s);
}

}  // namespace proclab
