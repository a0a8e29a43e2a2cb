#include "runner/cli/merge_command.h"

#include <fmt/format.h>

#include "reports/reporters.h"
#include "runner/cli/app.h"
#include "runner/cli/grade_command.h"
#include "runner/cli/grade_shard.h"
#include "runner/results/merge.h"
#include "runner/results/repeat_judge.h"

namespace proclab::cli {

MergeCommand::MergeCommand(CLI::App& app) {
  cmd_ = app.add_subcommand(
      "merge", "merge the json reports of a suite's shards (or of several runs) into one report");
  cmd_->add_option("results", inputs_,
                   "json reports (--report json:FILE of run); with --grade, the shards' --out "
                   "folders");
  cmd_->add_option("--report", reports_,
                   "console (default), json[:PATH], junit:PATH, tap[:PATH], perfetto:PATH "
                   "(repeatable)")
      ->allow_extra_args(false);
  cmd_->add_option("--grade", grade_suite_,
                   "merge the gradebooks of `grade --shard` runs of this grading SUITE");
  cmd_->add_option("--out", out_, "with --grade: where the merged gradebook goes");
  cmd_->footer(
      "Exit status: 0 every run passed (with --grade: merged), 1 some failed or were not made, "
      "2 inconsistent, missing or unreadable inputs or bad usage, 3 some run failed for "
      "proclab's own reasons.");
}

int MergeCommand::Run() {
  if (inputs_.empty()) {
    fmt::print(stderr, "proclab merge: give the results to merge\n");
    return kExitUsage;
  }
  if (!grade_suite_.empty()) return MergeGrades();
  if (!out_.empty()) {
    fmt::print(stderr, "proclab merge: --out goes with --grade; use --report FORMAT:PATH\n");
    return kExitUsage;
  }
  return MergeRuns();
}

int MergeCommand::MergeRuns() {
  std::vector<ResultsFile> files;
  for (const auto& path : inputs_) {
    auto f = ReadResultsFile(path);
    if (!f) {
      fmt::print(stderr, "proclab merge: {}\n", f.error().message);
      return kExitUsage;
    }
    files.push_back(std::move(*f));
  }
  auto merged = MergeResults(std::move(files));
  if (!merged) {
    fmt::print(stderr, "proclab merge: {}\n", merged.error().message);
    return kExitUsage;
  }
  Reporters reporters;
  if (reports_.empty()) reports_.push_back("console");
  if (Status st = reporters.AddAll(reports_); !st) {
    fmt::print(stderr, "proclab merge: {}\n", st.error().message);
    return kExitUsage;
  }
  SuiteSummary summary;
  summary.planned = merged->runs.size() + merged->not_run;
  summary.interrupted = merged->not_run > 0;
  // Statistics across repeats are judged again over the merged runs, by
  // the model `run` uses: two shards of --repeat 5 judge as one --repeat 10.
  RepeatJudge::Expected expected;
  for (const auto& r : merged->runs) ++expected[{r.subject, r.scenario}];
  RepeatJudge judge(reporters, std::move(expected));
  judge.OnPlan(merged->plan);
  judge.OnStart(summary.planned);
  for (const auto& r : merged->runs) {
    ++summary.runs;
    ++(r.passed ? summary.passed : summary.failed);
    summary.internal_errors += r.internal_error;
    judge.OnResult(r);
  }
  judge.OnEnd(summary);
  if (merged->not_run)
    fmt::print(stderr, "proclab merge: {} planned run{} not made (a shard was interrupted)\n",
               merged->not_run, merged->not_run == 1 ? " was" : "s were");
  if (summary.internal_errors) return kExitInternal;
  return summary.failed || judge.failed() || merged->not_run ? kExitFailed : kExitPassed;
}

int MergeCommand::MergeGrades() {
  if (out_.empty() || !reports_.empty()) {
    fmt::print(stderr,
               "proclab merge --grade: give --out DIR (where the merged gradebook goes), and no "
               "--report\n");
    return kExitUsage;
  }
  std::optional<GradeConfig> config;
  Loaded loaded;
  std::vector<std::pair<std::string, double>> points;
  if (!LoadGradingSuite(grade_suite_, &config, &loaded, &points)) return kExitUsage;
  auto first = ReadGradeShardOptions(inputs_.front());
  if (!first) {
    fmt::print(stderr, "proclab merge: {}\n", first.error().message);
    return kExitUsage;
  }
  auto fingerprint = SuiteFingerprint(grade_suite_, out_);
  if (!fingerprint) {
    fmt::print(stderr, "proclab merge: {}\n", fingerprint.error().message);
    return kExitUsage;
  }
  GradeShardOptions expected = *first;
  expected.suite = *fingerprint;
  const RepeatPolicy policy = first->policy == "median" ? RepeatPolicy::kMedian
                              : first->policy == "all"  ? RepeatPolicy::kAll
                                                        : RepeatPolicy::kMin;
  Gradebook book(*config, points, policy);
  if (Status st = MergeGradeShards(inputs_, expected, &book); !st) {
    fmt::print(stderr, "proclab merge: {}\n", st.error().message);
    return kExitUsage;
  }
  book.Finish();
  if (Status st = book.WriteAll(out_); !st) {
    fmt::print(stderr, "proclab merge: {}\n", st.error().message);
    return kExitInternal;
  }
  fmt::print(
      "merged {} shards: {} submissions; wrote {}/grades.csv, results.json, summary.md and "
      "one feedback.md per submission\n",
      inputs_.size(), book.submissions().size(), out_);
  return kExitPassed;
}

}  // namespace proclab::cli
