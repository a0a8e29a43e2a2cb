// The model of repeats (repeat_stats.h) on hand-made figures: each
// statistic, a bound that holds and one that does not, runs in any order,
// runs without a figure, and bounds the runs evaluated differently.
#include "runner/results/repeat_stats.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "runner/results/repeat_judge.h"

namespace proclab {
namespace {

Measured::Stat RsBound(const std::string& stat, std::optional<double> min,
                       std::optional<double> max) {
  std::string body;
  if (min) body += fmt::format("min: {}", *min);
  if (max) body += fmt::format("{}max: {}", body.empty() ? "" : ", ", *max);
  return {stat, min, max, stat + ": {" + body + "}"};
}

// A run of "timing" whose duration verdict measured `value` seconds (none:
// no figure), judged by `bounds`.
ScenarioResult RsRun(int attempt, std::optional<double> value, std::vector<Measured::Stat> bounds) {
  ScenarioResult r;
  r.scenario = "timing";
  r.file = "timing.yaml";
  r.attempt = attempt;
  r.passed = value.has_value();
  Verdict v;
  v.passed = value.has_value();
  v.expectation = "duration: {process: worker, median: {max: 0.2}}";
  v.loc = SourceLoc{"timing.yaml", 7, 5};
  v.measured = Measured{value, "s", std::move(bounds)};
  Verdict other;  // an expectation without statistics is not judged across runs
  other.passed = true;
  other.expectation = "exit: {process: worker, code: 0}";
  r.verdicts = {other, v};
  return r;
}

AcrossRuns RsJudge(const std::vector<std::optional<double>>& values,
                   const std::vector<Measured::Stat>& bounds) {
  RepeatStats stats;
  for (size_t i = 0; i < values.size(); ++i)
    stats.Add(RsRun(static_cast<int>(i), values[i], bounds));
  auto out = stats.Judge();
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? AcrossRuns{} : out.front();
}

TEST(RepeatStatsTest, EachStatistic) {
  const std::vector<double> v = {0.5, 0.1, 0.4, 0.2, 0.3};
  EXPECT_DOUBLE_EQ(Statistic("min", v), 0.1);
  EXPECT_DOUBLE_EQ(Statistic("max", v), 0.5);
  EXPECT_DOUBLE_EQ(Statistic("median", v), 0.3);
  EXPECT_DOUBLE_EQ(Statistic("mean", v), 0.3);
  EXPECT_DOUBLE_EQ(Statistic("p90", v), 0.5);  // rank ⌈4.5⌉ = 5
  const std::vector<double> even = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(Statistic("median", even), 2.5);
  std::vector<double> ten;
  for (int i = 10; i >= 1; --i) ten.push_back(i);
  EXPECT_DOUBLE_EQ(Statistic("p90", ten), 9);  // rank 9 of 10: a figure a run had
  for (const char* s : {"min", "median", "mean", "p90", "max"})
    EXPECT_DOUBLE_EQ(Statistic(s, {0.7}), 0.7) << s;  // one run: the figure itself
}

TEST(RepeatStatsTest, MedianHoldsThoughOneRunIsSlow) {
  // One outlier in five: the median is within its bound, the max is not.
  AcrossRuns a = RsJudge({0.10, 0.12, 0.90, 0.11, 0.13},
                         {RsBound("median", std::nullopt, 0.2), RsBound("max", std::nullopt, 0.2)});
  ASSERT_EQ(a.stats.size(), 2u);
  EXPECT_TRUE(a.stats[0].passed) << a.explanation;
  EXPECT_DOUBLE_EQ(*a.stats[0].value, 0.12);
  EXPECT_FALSE(a.stats[1].passed) << a.explanation;  // negative control
  EXPECT_FALSE(a.passed);
  EXPECT_EQ(a.runs, 5);
  EXPECT_EQ(a.distribution.n, 5u);
  EXPECT_NE(a.explanation.find("over 5 runs: min 0.100s, median 0.120s"), std::string::npos)
      << a.explanation;
  EXPECT_NE(a.explanation.find("max 0.900s, more than 0.200s"), std::string::npos) << a.explanation;
}

TEST(RepeatStatsTest, LowerBounds) {
  AcrossRuns ok = RsJudge({1.0, 1.2, 1.1}, {RsBound("min", 0.9, std::nullopt)});
  EXPECT_TRUE(ok.passed) << ok.explanation;
  AcrossRuns bad = RsJudge({1.0, 1.2, 0.5}, {RsBound("min", 0.9, std::nullopt)});
  EXPECT_FALSE(bad.passed);
  EXPECT_NE(bad.explanation.find("min 0.500s, less than 0.900s"), std::string::npos)
      << bad.explanation;
  AcrossRuns mean = RsJudge({1.0, 2.0, 3.0}, {RsBound("mean", 1.5, 2.5)});
  EXPECT_TRUE(mean.passed) << mean.explanation;
  AcrossRuns p90 = RsJudge({1.0, 2.0, 3.0}, {RsBound("p90", std::nullopt, 2.5)});
  EXPECT_FALSE(p90.passed) << p90.explanation;  // p90 of 3 is the largest
}

TEST(RepeatStatsTest, OrderOfArrivalDoesNotMatter) {
  const std::vector<Measured::Stat> b = {RsBound("median", std::nullopt, 0.2)};
  RepeatStats in_order, shuffled;
  const std::vector<double> v = {0.1, 0.3, 0.15, 0.25};
  for (int i = 0; i < 4; ++i) in_order.Add(RsRun(i, v[static_cast<size_t>(i)], b));
  for (int i : {2, 0, 3, 1}) shuffled.Add(RsRun(i, v[static_cast<size_t>(i)], b));
  auto x = in_order.Judge(), y = shuffled.Judge();
  ASSERT_EQ(x.size(), 1u);
  ASSERT_EQ(y.size(), 1u);
  EXPECT_EQ(x[0].explanation, y[0].explanation);
  EXPECT_EQ(x[0].values, y[0].values);
  EXPECT_DOUBLE_EQ(*x[0].stats[0].value, 0.2);  // (0.15 + 0.25) / 2
}

TEST(RepeatStatsTest, RunsWithoutAFigureAreNamed) {
  AcrossRuns a = RsJudge({0.1, std::nullopt, 0.1}, {RsBound("median", std::nullopt, 0.2)});
  EXPECT_EQ(a.missing, std::vector<int>{1});
  EXPECT_EQ(a.distribution.n, 2u);
  EXPECT_NE(a.explanation.find("1 run gave no figure: #2"), std::string::npos) << a.explanation;
  AcrossRuns none = RsJudge({std::nullopt, std::nullopt}, {RsBound("median", std::nullopt, 0.2)});
  EXPECT_FALSE(none.passed);
  EXPECT_NE(none.explanation.find("no run gave a figure"), std::string::npos) << none.explanation;
}

TEST(RepeatStatsTest, BoundsEvaluatedDifferentlyFail) {
  // `0.5 * cpus` on a 2-CPU run and on a 4-CPU run: no one bound to judge by.
  RepeatStats stats;
  stats.Add(RsRun(0, 0.1, {RsBound("median", std::nullopt, 1.0)}));
  stats.Add(RsRun(1, 0.1, {RsBound("median", std::nullopt, 2.0)}));
  auto a = stats.Judge();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_FALSE(a[0].passed);
  EXPECT_NE(a[0].explanation.find("evaluated"), std::string::npos) << a[0].explanation;
}

// A sink that keeps what reaches it.
class RsKeep : public ResultSink {
 public:
  void OnResult(const ScenarioResult&) override { ++results; }
  void OnAcrossRuns(const AcrossRuns& a) override { across.push_back(a); }
  void OnEnd(const SuiteSummary& s) override { summary = s; }
  int results = 0;
  std::vector<AcrossRuns> across;
  SuiteSummary summary;
};

TEST(RepeatJudgeTest, JudgesOnceTheLastRunIsIn) {
  RsKeep keep;
  RepeatJudge judge(keep, {{{"", "timing"}, 3}});
  const std::vector<Measured::Stat> b = {RsBound("median", std::nullopt, 0.2)};
  judge.OnResult(RsRun(2, 0.3, b));
  judge.OnResult(RsRun(0, 0.3, b));
  EXPECT_TRUE(keep.across.empty());  // not before every run is in
  judge.OnResult(RsRun(1, 0.1, b));
  ASSERT_EQ(keep.across.size(), 1u);
  EXPECT_FALSE(keep.across[0].passed);  // median 0.3 > 0.2
  EXPECT_EQ(keep.results, 3);
  judge.OnEnd(SuiteSummary{});
  EXPECT_EQ(keep.summary.across, 1u);
  EXPECT_EQ(keep.summary.across_failed, 1u);
}

TEST(RepeatJudgeTest, AnIncompleteScenarioIsNotJudged) {
  RsKeep keep;
  RepeatJudge judge(keep, {{{"", "timing"}, 3}});
  judge.OnResult(RsRun(0, 0.1, {RsBound("median", std::nullopt, 0.2)}));
  judge.OnEnd(SuiteSummary{});
  EXPECT_TRUE(keep.across.empty());
  EXPECT_EQ(keep.summary.across, 0u);
}

}  // namespace
}  // namespace proclab
