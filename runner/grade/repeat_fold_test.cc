// Grading's repeat policy with statistics across repeats (scoring.h): an
// item with a statistic earns its points only when the statistic holds
// over every run, judged by the model `run` and `merge` use; the cache
// keeps the figures that takes.
#include <gtest/gtest.h>

#include "runner/grade/run_record.h"
#include "runner/grade/scoring.h"

namespace proclab {
namespace {

// A run worth 10 points: `exit` (5) and a duration of `seconds` judged by
// a median and a max bound (5).
RunScore FoldRun(double seconds, bool exit_ok = true) {
  RunScore s;
  s.max = 10;
  s.passed = exit_ok;
  Measured m{seconds,
             "s",
             {{"median", std::nullopt, 0.2, "median: {max: 200ms}"},
              {"max", std::nullopt, 1.0, "max: {max: 1s}"}}};
  s.items = {
      {"exit: {process: w, code: 0}", "", exit_ok, 5, exit_ok ? 5.0 : 0.0, std::nullopt},
      {"duration: {process: w, median: {max: 200ms}, max: {max: 1s}}", "w took it", true, 5, 5, m}};
  s.score = exit_ok ? 10 : 5;
  return s;
}

TEST(RepeatFold, AStatisticThatHoldsKeepsItsPoints) {
  Folded f = FoldRepeats({FoldRun(0.10), FoldRun(0.90), FoldRun(0.12)}, RepeatPolicy::kMin);
  EXPECT_DOUBLE_EQ(f.chosen.score, 10);
  EXPECT_TRUE(f.chosen.items[1].passed);
  EXPECT_NE(f.chosen.items[1].explanation.find("over 3 runs"), std::string::npos)
      << f.chosen.items[1].explanation;
}

TEST(RepeatFold, AStatisticThatFailsEarnsNothing) {
  // Negative control: one run of 1.5s breaks `max: {max: 1s}` though each
  // run passed its own verdict.
  Folded f = FoldRepeats({FoldRun(0.10), FoldRun(1.50), FoldRun(0.12)}, RepeatPolicy::kMedian);
  EXPECT_DOUBLE_EQ(f.chosen.score, 5);
  EXPECT_FALSE(f.chosen.items[1].passed);
  EXPECT_EQ(f.chosen.items[1].earned, 0);
  EXPECT_NE(f.chosen.items[1].explanation.find("max 1.500s, more than 1.000s"), std::string::npos)
      << f.chosen.items[1].explanation;
  // The median over the three runs: 0.12s.
  Folded slow = FoldRepeats({FoldRun(0.30), FoldRun(0.25), FoldRun(0.12)}, RepeatPolicy::kMin);
  EXPECT_FALSE(slow.chosen.items[1].passed);
  EXPECT_NE(slow.chosen.items[1].explanation.find("median 0.250s, more than 0.200s"),
            std::string::npos)
      << slow.chosen.items[1].explanation;
}

TEST(RepeatFold, TheCacheKeepsTheFigures) {
  std::vector<RunRecord> runs = {{FoldRun(0.125), {}, {}}, {FoldRun(0.5, false), {}, {}}};
  auto back = DecodeRecords(EncodeRecords(runs));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, runs);
  ASSERT_TRUE((*back)[0].score.items[1].measured);
  EXPECT_DOUBLE_EQ(*(*back)[0].score.items[1].measured->value, 0.125);
  (*back)[1].score.items[1].measured->stats[0].max = 0.3;  // control: the comparison sees it
  EXPECT_NE(*back, runs);
}

}  // namespace
}  // namespace proclab
