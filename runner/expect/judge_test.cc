// Judge: every listed expectation in order, plus the default no_leaks and
// no_zombies unless the scenario lists (or disables) them; lua: without a
// Lua state; each verdict points at where its expectation is written.
#include "runner/expect/judge.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

// parent (2) forks child (3), which exits 7 and is reaped by the parent.
Tl Clean() {
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Fork(1'000, 3, 2)
      .Actor(1'000, 3, "child")
      .Exit(50'000, 3, 7);
  tl.Reap(60'000, 3, Party::Process(2)).Exit(100'000, 2, 0).Reap(100'010, 2, Party::Process(kLab));
  return std::move(tl.End(200'000));
}

// The same, but the parent never waits: the child is a zombie until it exits.
Tl Careless() {
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Fork(1'000, 3, 2)
      .Actor(1'000, 3, "child")
      .Exit(50'000, 3, 7);
  tl.Exit(100'000, 2, 0).Reap(100'010, 2, Party::Process(kLab)).Reparent(100'005, 3, 2, kLab);
  return std::move(tl.Reap(100'020, 3, Party::Process(kLab)).End(200'000));
}

Expectation ExitChild7() {
  Expectation e = Exp(K::kExit, "child");
  e.code = 7;
  return e;
}

std::vector<std::string> Texts(const std::vector<Verdict>& vs) {
  std::vector<std::string> out;
  out.reserve(vs.size());
  for (const auto& v : vs) out.push_back(v.expectation);
  return out;
}

TEST(JudgeTest, AddsNoLeaksAndNoZombiesByDefault) {
  Scenario s = Actors({"parent", "child"});
  s.loc = SourceLoc{"zombie.yaml", 1, 1};
  s.expectations = {ExitChild7()};
  auto vs = Judge(s, Clean().t);
  ASSERT_EQ(Texts(vs), (std::vector<std::string>{"exit: {process: child, code: 7}", "no_leaks",
                                                 "no_zombies"}));
  for (const auto& v : vs) EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(vs[0].loc.file, "unit.yaml");
  EXPECT_EQ(vs[0].loc.line, 7);
  EXPECT_EQ(vs[1].loc.file, "zombie.yaml");  // the defaults point at the scenario
  EXPECT_EQ(vs[2].loc.file, "zombie.yaml");
}

TEST(JudgeTest, TheDefaultNoZombiesCatchesACarelessParent) {
  Scenario s = Actors({"parent", "child"});
  s.expectations = {ExitChild7()};
  auto vs = Judge(s, Careless().t);
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_TRUE(vs[0].passed);
  EXPECT_TRUE(vs[1].passed);
  EXPECT_FALSE(vs[2].passed);
  EXPECT_TRUE(Has(vs[2].explanation,
                  "child (pid 3) exited at 0.050s but parent (pid 2) never waited for it"));
}

// A run the lab ended at its event cap fails, as a timed-out one does, and
// says which cap; without the limit event the same run passes.
TEST(JudgeTest, ARunEndedAtTheEventCapFails) {
  Scenario s = Actors({"parent", "child"});
  s.expectations = {ExitChild7()};
  auto t = Clean().t;
  for (const auto& v : Judge(s, t)) EXPECT_TRUE(v.passed) << Show(v);
  Event cap;
  cap.type = EventType::kLimit;
  cap.kind = "events";
  cap.t_us = t.events().back().t_us;
  cap.detail = "the timeline reached its cap of 48MiB of events (150000 events); the run is ended";
  t.Add(cap);
  auto vs = Judge(s, t);
  ASSERT_FALSE(vs.empty());
  EXPECT_EQ(vs[0].expectation, "limits.events");
  EXPECT_FALSE(vs[0].passed);
  EXPECT_NE(vs[0].explanation.find("48MiB of events"), std::string::npos);
  EXPECT_EQ(vs[0].origin, Verdict::Origin::kTimeout);
}

// A flood (2) that the lab ends at its event cap: output lines, the cap, the
// lab's kill; `capped` false leaves the limit event out, as a hand-made
// control (the lab never kills for the cap without it).
Tl Flood(bool capped) {
  const std::string cap = "the timeline reached its cap of 48MiB of events (150000 events)";
  Tl tl;
  tl.Spawn(0, 2).Actor(0, 2, "flood").Output(1'000, 2, "a\n").Output(1'001, 2, "a\n");
  if (capped) tl.Limit(900'000, 2, "events", cap + "; the run is ended");
  tl.KilledByLab(900'100, 2, cap).Killed(900'200, 2, SIGKILL).Reap(900'300, 2, Party::Lab());
  tl.t.summary.events_dropped = capped ? 4'000 : 0;
  return std::move(tl.End(1'000'000));
}

// The flood fails on the cap alone, and the verdict names the cap and what
// the lab did; the same timeline without the limit event passes.
TEST(JudgeTest, AFloodTheLabEndedAtTheEventCapFailsNamingTheCap) {
  Scenario s = Actors({"flood"});
  auto vs = Judge(s, Flood(true).t);
  ASSERT_EQ(Texts(vs), (std::vector<std::string>{"limits.events", "no_leaks", "no_zombies"}));
  EXPECT_FALSE(vs[0].passed);
  EXPECT_TRUE(Has(vs[0].explanation,
                  "the timeline reached its cap of 48MiB of events (150000 events); the run is "
                  "ended; the lab killed what was left"));
  EXPECT_EQ(vs[0].origin, Verdict::Origin::kTimeout);
  EXPECT_TRUE(vs[1].passed) << Show(vs[1]);
  EXPECT_TRUE(vs[2].passed) << Show(vs[2]);
  for (const auto& v : Judge(s, Flood(false).t)) EXPECT_TRUE(v.passed) << Show(v);
}

// The rule: reaching the cap fails the run even when the lab did not end it
// there (it had ended, or was ending for another reason), since events past
// the cap were not kept; the explanation then says that instead of a kill.
TEST(JudgeTest, ARunThatReachedTheEventCapAsItEndedFailsToo) {
  Scenario s = Actors({"parent", "child"});
  s.expectations = {ExitChild7()};
  auto t = Clean().t;
  t.summary.events_dropped = 3;
  Event cap;
  cap.type = EventType::kLimit;
  cap.kind = "events";
  cap.t_us = 100'000;
  cap.detail = "the timeline reached its cap of 100 events; the run is ended";
  t.Add(cap);
  auto vs = Judge(s, t);
  ASSERT_EQ(vs.size(), 4u);
  EXPECT_FALSE(vs[0].passed);
  EXPECT_TRUE(Has(vs[0].explanation, "its cap of 100 events"));
  EXPECT_TRUE(Has(vs[0].explanation, "events past the cap were counted, not kept"));
  EXPECT_FALSE(Has(vs[0].explanation, "the lab killed"));
  for (size_t i = 1; i < vs.size(); ++i) EXPECT_TRUE(vs[i].passed) << Show(vs[i]);
}

TEST(JudgeTest, NoZombiesFalseOptsOut) {
  Scenario s = Actors({"parent", "child"});
  Expectation off = Exp(K::kNoZombies);
  off.enabled = false;
  EXPECT_EQ(off.Describe(), "no_zombies: false");
  s.expectations = {ExitChild7(), off};
  auto vs = Judge(s, Careless().t);
  EXPECT_EQ(Texts(vs), (std::vector<std::string>{"exit: {process: child, code: 7}", "no_leaks"}));
  for (const auto& v : vs) EXPECT_TRUE(v.passed) << Show(v);
}

TEST(JudgeTest, NoLeaksFalseOptsOutToo) {
  Scenario s = Actors({"parent", "child"});
  Expectation off = Exp(K::kNoLeaks);
  off.enabled = false;
  s.expectations = {off};
  EXPECT_EQ(Texts(Judge(s, Clean().t)), (std::vector<std::string>{"no_zombies"}));
}

TEST(JudgeTest, AListedDefaultIsJudgedOnceWhereItIsWritten) {
  Scenario s = Actors({"parent", "child"});
  s.expectations = {Exp(K::kNoZombies), ExitChild7()};
  auto vs = Judge(s, Careless().t);
  EXPECT_EQ(Texts(vs), (std::vector<std::string>{"no_zombies", "exit: {process: child, code: 7}",
                                                 "no_leaks"}));
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_FALSE(vs[0].passed);
  EXPECT_EQ(vs[0].loc.line, 7);
}

TEST(JudgeTest, ExpectationsKeepTheirOrderAndEachIsJudged) {
  Scenario s = Actors({"parent", "child"});
  Expectation wrong = ExitChild7();
  wrong.code = 0;
  Expectation reaped = Exp(K::kReaped, "child");
  reaped.by = "parent";
  s.expectations = {wrong, reaped, ExitChild7()};
  auto vs = Judge(s, Clean().t);
  ASSERT_EQ(vs.size(), 5u);
  EXPECT_FALSE(vs[0].passed);
  EXPECT_TRUE(vs[1].passed);
  EXPECT_TRUE(vs[2].passed);
  EXPECT_EQ(vs[1].expectation, "reaped: {process: child, by: parent}");
}

TEST(JudgeTest, LuaWithoutALuaState) {
  Scenario s = Actors({"parent", "child"});
  Expectation lua = Exp(K::kLua);
  lua.lua = "#timeline.events > 0";
  s.expectations = {lua};
  auto vs = Judge(s, Clean().t);
  ASSERT_GE(vs.size(), 1u);
  EXPECT_FALSE(vs[0].passed);
  EXPECT_EQ(vs[0].expectation, "lua: #timeline.events > 0");
  EXPECT_EQ(vs[0].explanation, "this scenario has no Lua state to evaluate it in");
}

TEST(JudgeTest, LuaWithAJudge) {
  Scenario s = Actors({"parent", "child"});
  Expectation lua = Exp(K::kLua);
  lua.lua = "true";
  s.expectations = {lua};
  struct Counting : ScriptJudge {
    mutable int calls = 0;
    Verdict Judge(const Scenario&, const Expectation& e, const Timeline& t) const override {
      ++calls;
      Verdict v;
      v.passed = true;
      v.expectation = e.Describe();
      v.explanation = "lua said so over " + std::to_string(t.events().size()) + " events";
      v.loc = e.loc;
      return v;
    }
  } judge;
  auto vs = Judge(s, Clean().t, &judge);
  const int calls = judge.calls;
  EXPECT_EQ(calls, 1);
  ASSERT_GE(vs.size(), 1u);
  EXPECT_TRUE(vs[0].passed);
  EXPECT_TRUE(Has(vs[0].explanation, "lua said so over"));
}

TEST(JudgeTest, EmptyTimelineStillJudges) {
  // The program could not be started: nothing happened at all.
  Scenario s = DriverConductor();
  Timeline t;
  t.launch_error = "python3: not found";
  s.expectations = {Exp(K::kExit, "driver")};
  auto vs = Judge(s, t);
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_FALSE(vs[0].passed);
  EXPECT_TRUE(Has(vs[0].explanation, "no process was ever called 'driver'")) << Show(vs[0]);
  EXPECT_TRUE(vs[1].passed);
  EXPECT_TRUE(vs[2].passed);
}

}  // namespace
}  // namespace proclab::expect_test
