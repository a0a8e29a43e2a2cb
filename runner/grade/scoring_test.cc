#include "runner/grade/scoring.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

Verdict V(bool passed, std::optional<double> points = {},
          Verdict::Origin origin = Verdict::Origin::kWritten) {
  Verdict v;
  v.passed = passed;
  v.expectation = passed ? "held" : "failed";
  v.points = points;
  v.origin = origin;
  return v;
}

ScenarioResult R(std::vector<Verdict> verdicts, bool passed = false) {
  ScenarioResult r;
  r.verdicts = std::move(verdicts);
  r.passed = passed;
  return r;
}

TEST(Scoring, WrittenExpectationsShareThePointsEvenly) {
  RunScore s = ScoreRun(R({V(true), V(false), V(true), V(true)}), 10);
  EXPECT_DOUBLE_EQ(s.score, 7.5);
  EXPECT_DOUBLE_EQ(s.max, 10);
  ASSERT_EQ(s.items.size(), 4u);
  EXPECT_DOUBLE_EQ(s.items[1].points, 2.5);
  EXPECT_DOUBLE_EQ(s.items[1].earned, 0);
}

// Why: a conductor that exits 1 instead of 0 no longer costs all 10 points.
TEST(Scoring, OneFailedExpectationCostsOnlyItsShare) {
  RunScore s = ScoreRun(R({V(true), V(true), V(true), V(true), V(false)}), 10);
  EXPECT_DOUBLE_EQ(s.score, 8);
}

TEST(Scoring, ExplicitPointsTakeThemAndTheRestSplitWhatIsLeft) {
  RunScore s = ScoreRun(R({V(true, 6), V(false), V(true)}), 10);
  EXPECT_DOUBLE_EQ(s.items[0].points, 6);
  EXPECT_DOUBLE_EQ(s.items[1].points, 2);
  EXPECT_DOUBLE_EQ(s.score, 8);
}

TEST(Scoring, AutomaticChecksAndTimeoutsCarryNoPoints) {
  RunScore s = ScoreRun(R({V(false, {}, Verdict::Origin::kTimeout), V(true),
                           V(false, {}, Verdict::Origin::kAutomatic)}),
                        4);
  EXPECT_DOUBLE_EQ(s.score, 4);
  EXPECT_TRUE(s.timeout);
  EXPECT_EQ(s.items.size(), 1u);
}

TEST(Scoring, ARunThatCouldNotBeJudgedScoresNothing) {
  ScenarioResult r = R({V(true)}, true);
  r.error = "could not compile";
  RunScore s = ScoreRun(r, 5);
  EXPECT_DOUBLE_EQ(s.score, 0);
  EXPECT_EQ(s.error, "could not compile");
}

TEST(Scoring, WithoutWrittenExpectationsARunPassesOrNot) {
  EXPECT_DOUBLE_EQ(ScoreRun(R({}, true), 3).score, 3);
  EXPECT_DOUBLE_EQ(ScoreRun(R({}, false), 3).score, 0);
}

// With alternative role assignments the feedback must say which one the
// names in it refer to.
TEST(Scoring, TheChosenRoleAssignmentIsKept) {
  ScenarioResult r = R({V(true)}, true);
  r.roles_note = "judged with role assignment 2 of 2 (conductor: main; driver: child of conductor)";
  EXPECT_EQ(ScoreRun(r, 10).roles, r.roles_note);
  EXPECT_EQ(ScoreRun(R({V(true)}, true), 10).roles, "");
}

TEST(Scoring, RepeatPolicies) {
  auto runs = [] {
    std::vector<RunScore> out(3);
    out[0].score = 10, out[0].passed = true;
    out[1].score = 4;
    out[2].score = 10, out[2].passed = true;
    return out;
  };
  Folded min = FoldRepeats(runs(), RepeatPolicy::kMin);
  EXPECT_DOUBLE_EQ(min.chosen.score, 4);
  EXPECT_TRUE(min.flaky());
  EXPECT_EQ(min.passed, 2);
  EXPECT_DOUBLE_EQ(FoldRepeats(runs(), RepeatPolicy::kMedian).chosen.score, 10);
  EXPECT_DOUBLE_EQ(FoldRepeats(runs(), RepeatPolicy::kAll).chosen.score, 0);
  std::vector<RunScore> steady(2);
  steady[0].score = steady[1].score = 7;
  steady[0].passed = steady[1].passed = true;
  EXPECT_DOUBLE_EQ(FoldRepeats(steady, RepeatPolicy::kAll).chosen.score, 7);
  EXPECT_FALSE(FoldRepeats(steady, RepeatPolicy::kAll).flaky());
}

TEST(Scoring, RoundTo) {
  EXPECT_DOUBLE_EQ(RoundTo(1.0 / 3 + 1.0 / 3 + 1.0 / 3 + 1.5, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(RoundTo(8.33, 0.5), 8.5);
  EXPECT_DOUBLE_EQ(RoundTo(1.67, 0.5), 1.5);
  EXPECT_DOUBLE_EQ(RoundTo(2.345, 0.01), 2.35);
}

}  // namespace
}  // namespace proclab
