#include "runner/cli/grade_progress.h"

#include <fmt/format.h>

#include <cstdio>

#include "runner/base/clock.h"
#include "runner/base/units.h"

namespace proclab::cli {

namespace {

std::string Clip(const std::string& s) { return s.size() <= 100 ? s : s.substr(0, 100) + "…"; }

}  // namespace

void GradeProgress::OnStart(size_t planned) {
  planned_ = planned;
  started_us_ = MonotonicUs();
}

void GradeProgress::OnResult(const ScenarioResult& r) {
  ++done_;
  failed_ += !r.passed;
  const RunRecord record = book_.AddRun(r);
  resume_.OnRun(r, record);
  if (shard_) shard_->AddRun(r.subject, r.scenario, r.attempt, record);
  const std::string line =
      fmt::format("[{}/{}] {} {} · {}{}", done_, planned_, r.passed ? "✓" : "✗", r.subject,
                  r.DisplayName(), r.passed ? "" : fmt::format("  {}", Clip(r.Reason())));
  if (!live_) {
    fmt::print("{}\n", line);
  } else {
    if (!r.passed) fmt::print("\r\033[K{}\n", line);
    fmt::print("\r\033[K{}", Status());
  }
  std::fflush(stdout);
}

void GradeProgress::OnEnd(const SuiteSummary&) {
  if (live_ && done_ > 0) fmt::print("\n");  // keep the last status line
  std::fflush(stdout);
}

std::string GradeProgress::Status() const {
  const int64_t elapsed = MonotonicUs() - started_us_;
  std::string eta = "done";
  if (done_ < planned_) {
    const int64_t left =
        elapsed / static_cast<int64_t>(done_) * static_cast<int64_t>(planned_ - done_);
    eta = "ETA " + FormatDuration(left / 1'000'000 * 1'000'000 + 1'000'000);
  }
  return fmt::format("{}/{} runs · {} failed · {}", done_, planned_, failed_, eta);
}

}  // namespace proclab::cli
