#include "runner/grade/scoring.h"

#include <algorithm>
#include <cmath>

#include "runner/results/repeat_stats.h"

namespace proclab {

RunScore ScoreRun(const ScenarioResult& r, double max) {
  RunScore out;
  out.max = max;
  out.passed = r.passed;
  out.roles = r.roles_note;
  if (!r.error.empty()) {
    out.error = r.error;
    return out;
  }
  double fixed = 0;
  int shares = 0;
  for (const auto& st : r.graded_steps) fixed += st.points;
  for (const auto& v : r.verdicts) {
    if (v.origin == Verdict::Origin::kTimeout && !out.timeout) {
      out.timeout = true;
      out.timeout_explanation = v.explanation;
    }
    if (v.origin != Verdict::Origin::kWritten) continue;
    if (v.points)
      fixed += *v.points;
    else
      ++shares;
  }
  const double share = shares ? std::max(0.0, max - fixed) / shares : 0;
  for (const auto& st : r.graded_steps) {
    ItemScore item{st.step,   st.ok ? "" : st.message, st.ok,
                   st.points, st.ok ? st.points : 0,   std::nullopt};
    out.score += item.earned;
    out.items.push_back(std::move(item));
  }
  for (const auto& v : r.verdicts) {
    if (v.origin != Verdict::Origin::kWritten) continue;
    ItemScore item{v.expectation, v.explanation, v.passed, v.points.value_or(share), 0, v.measured};
    item.earned = v.passed ? item.points : 0;
    out.score += item.earned;
    out.items.push_back(std::move(item));
  }
  // Nothing written to share the points over: the run passes or it does not.
  if (out.items.empty()) out.score = r.passed ? max : 0;
  // Explicit points may add up to more than the scenario's: they count as written.
  if (fixed > max && shares == 0) out.max = fixed;
  return out;
}

namespace {

// Items with statistics across repeats, judged over every run's figure.
void JudgeAcrossRuns(const std::vector<RunScore>& runs, RunScore* chosen) {
  bool any = false;
  for (const auto& item : chosen->items)
    any = any || (item.measured && !item.measured->stats.empty());
  if (!any) return;
  RepeatStats stats;
  for (size_t i = 0; i < runs.size(); ++i)
    for (const auto& item : runs[i].items)
      if (item.measured && !item.measured->stats.empty())
        stats.Add(static_cast<int>(i), item.expectation, SourceLoc{}, *item.measured);
  const std::vector<AcrossRuns> judged = stats.Judge();
  for (auto& item : chosen->items)
    for (const AcrossRuns& a : judged)
      if (item.measured && a.expectation == item.expectation) {
        const double before = item.earned;
        // A run that failed its own bounds keeps saying why.
        item.explanation =
            item.passed ? a.explanation : item.explanation + "; across the runs: " + a.explanation;
        item.passed = item.passed && a.passed;
        item.earned = item.passed ? item.points : 0;
        chosen->score += item.earned - before;
      }
}

}  // namespace

Folded FoldRepeats(std::vector<RunScore> runs, RepeatPolicy policy) {
  Folded f;
  f.runs = static_cast<int>(runs.size());
  for (const auto& r : runs) f.passed += r.passed;
  if (runs.empty()) return f;
  std::stable_sort(runs.begin(), runs.end(),
                   [](const RunScore& a, const RunScore& b) { return a.score < b.score; });
  switch (policy) {
    case RepeatPolicy::kMin:
    case RepeatPolicy::kAll: f.chosen = runs.front(); break;
    case RepeatPolicy::kMedian: f.chosen = runs[(runs.size() - 1) / 2]; break;
  }
  JudgeAcrossRuns(runs, &f.chosen);
  if (policy == RepeatPolicy::kAll && f.passed < f.runs) {
    f.chosen.score = 0;
    for (auto& item : f.chosen.items) item.earned = 0;
  }
  return f;
}

double RoundTo(double score, double step) {
  if (step <= 0) return score;
  // 1e-9 keeps 2.4999999 (a sum of thirds) from rounding down.
  return std::round(score / step + 1e-9) * step;
}

}  // namespace proclab
