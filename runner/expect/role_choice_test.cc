// Alternative role assignments: the judge keeps the one that earns the most
// points, says which, and prefers the first listed on a tie.
#include "runner/expect/role_choice.h"

#include <gtest/gtest.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

// The main process (2) prints "到站了", as a conductor would; its child (3)
// prints "发车了", as a driver would.
Timeline ConductorIsTheParent() {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(1'000, 3, 2).Output(10'000, 3, "发车了");
  tl.Output(20'000, 2, "到站了").Exit(30'000, 3, 0).Reap(30'010, 3, Party::Process(2));
  return std::move(tl.Exit(40'000, 2, 0).Reap(40'010, 2, Party::Process(kLab)).End(50'000).t);
}

Scenario WithAlternatives(bool conductor_as_parent_listed) {
  Scenario s = DriverConductor();  // driver: main; conductor: its first child
  if (conductor_as_parent_listed)
    s.alternative_roles.push_back({MainRole("conductor"), ChildRole("driver", "conductor", 1)});
  s.expectations = {OutputExp(K::kOutput, "发车了", "driver"),
                    OutputExp(K::kOutput, "到站了", "conductor")};
  return s;
}

TEST(RoleChoice, TheAssignmentThatFitsTheBehaviourIsChosen) {
  RoleChoice c = JudgeBestRoles(WithAlternatives(true), ConductorIsTheParent());
  EXPECT_EQ(c.chosen, 1);
  EXPECT_EQ(c.assignments, 2);
  for (const auto& v : c.verdicts) EXPECT_TRUE(v.passed) << v.expectation << ": " << v.explanation;
  EXPECT_NE(c.note.find("role assignment 2 of 2 (conductor: main; driver: child 1 of conductor)"),
            std::string::npos)
      << c.note;
  EXPECT_NE(c.note.find("(1 of 1; assignment 1 earned 0)"), std::string::npos) << c.note;
}

// Negative control: with the position-fixed roles only, both fail.
TEST(RoleChoice, WithoutTheAlternativeTheSameRunFails) {
  RoleChoice c = JudgeBestRoles(WithAlternatives(false), ConductorIsTheParent());
  EXPECT_EQ(c.chosen, 0);
  EXPECT_TRUE(c.note.empty());
  int failed = 0;
  for (const auto& v : c.verdicts) failed += !v.passed;
  EXPECT_EQ(failed, 2);
}

TEST(RoleChoice, ATieKeepsTheFirstListed) {
  Scenario s = WithAlternatives(true);
  s.expectations = {Exp(K::kExit, "main")};  // holds under either
  s.expectations[0].code = 0;
  RoleChoice c = JudgeBestRoles(s, ConductorIsTheParent());
  EXPECT_EQ(c.chosen, 0);
  EXPECT_NE(c.note.find("role assignment 1 of 2"), std::string::npos) << c.note;
}

TEST(RoleChoice, WrittenPointsWeighTheChoice) {
  Scenario s = WithAlternatives(true);
  s.points = 10;
  s.expectations[0].points = 1;  // driver's line: the first assignment cannot earn it anyway
  s.expectations.push_back(Exp(K::kExit, "driver"));
  s.expectations.back().code = 0;
  // Under assignment 1 only "exit driver (main) 0" holds: 4.5 of 10. Under 2, all: 10.
  RoleChoice c = JudgeBestRoles(s, ConductorIsTheParent());
  EXPECT_EQ(c.chosen, 1);
  EXPECT_DOUBLE_EQ(EarnedPoints(s, c.verdicts), 10);
}

}  // namespace
}  // namespace proclab::expect_test
