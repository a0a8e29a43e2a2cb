// sections on hand-built timelines: mutual exclusion held, and its negative
// control, overlapping sections.
#include <gtest/gtest.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

Expectation SectionsExp(std::string by = "", int max_inside = 1) {
  Expectation e = Exp(K::kSections);
  auto s = std::make_shared<SectionsCheck>();
  s->enter = "^enter";
  s->leave = "^leave";
  s->by = std::move(by);
  s->max_inside = max_inside;
  e.sections = s;
  return e;
}

// Three workers (pids 3, 4, 5) forked by main; `overlap` makes worker 4
// enter while worker 3 is still inside.
Tl Workers(bool overlap) {
  Tl tl;
  tl.Spawn(1000, 2).Actor(1000, 2, "main");
  for (pid_t p : {3, 4, 5}) tl.Fork(2000 + p, p, 2).Actor(2000 + p, p, "worker");
  tl.Output(100'000, 3, "enter\n");
  if (overlap) tl.Output(150'000, 4, "enter\n");
  tl.Output(200'000, 3, "leave\n");
  if (!overlap) tl.Output(210'000, 4, "enter\n");
  tl.Output(300'000, 4, "leave\n");
  tl.Output(320'000, 5, "enter\n");
  tl.Output(400'000, 5, "leave\n");
  tl.Output(450'000, 3, "enter\n");
  tl.Output(500'000, 3, "leave\n");
  for (pid_t p : {3, 4, 5}) tl.Exit(600'000 + p, p, 0).Reap(600'100 + p, p, Party::Process(2));
  tl.Exit(700'000, 2, 0).Reap(700'100, 2, Party::Lab()).End(700'200);
  return tl;
}

const Scenario kWorkers = Actors({"main", "worker"});

TEST(SectionsCheck, ExclusiveSectionsHoldAndReportTheWaiting) {
  Tl tl = Workers(false);
  Verdict v = JudgeOne(kWorkers, tl.t, SectionsExp("worker"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "never more than 1 inside at once"));
  EXPECT_TRUE(Has(v.explanation, "4 sections by 3 writers by worker"));
  // worker 4 entered 10ms after worker 3 left.
  EXPECT_TRUE(Has(v.explanation,
                  "worker (pid 4): 1 section, 0.090s inside, entered 1 time "
                  "after another's leave, 10.0ms in all, longest 10.0ms"));
  EXPECT_TRUE(Has(v.explanation,
                  "worker (pid 3): 2 sections, 0.150s inside, entered 1 time "
                  "after another's leave, 50.0ms in all"));
}

TEST(SectionsCheck, OverlapsFailAndNameTheWritersAndTimes) {
  Tl tl = Workers(true);
  Verdict v = JudgeOne(kWorkers, tl.t, SectionsExp());
  EXPECT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation,
                  "2 inside at once (at most 1 allowed): 1 overlap: worker (pid "
                  "4) entered at 0.150s while worker (pid 3) (inside since "
                  "0.100s, left at 0.200s) was inside"));
  // The evidence: the enter that overlapped, and the other's enter and leave.
  EXPECT_EQ(v.evidence.size(), 3u);
  // Two may be inside at once: the same timeline passes.
  EXPECT_TRUE(JudgeOne(kWorkers, tl.t, SectionsExp("", 2)).passed);
}

TEST(SectionsCheck, NoSectionAtAllFails) {
  Tl tl = Workers(false);
  Verdict v = JudgeOne(kWorkers, tl.t, SectionsExp("main"));
  EXPECT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "no line by main matched enter '^enter'"));
}

TEST(SectionsCheck, ASectionNeverLeftLastsToItsWritersExit) {
  Tl tl;
  tl.Spawn(1000, 2).Actor(1000, 2, "main").Fork(2000, 3, 2).Actor(2000, 3, "worker");
  tl.Output(100'000, 3, "enter\n");
  tl.Output(200'000, 2, "enter\n");
  tl.Output(250'000, 2, "leave\n");
  tl.Exit(300'000, 3, 1).Reap(300'100, 3, Party::Process(2));
  tl.Exit(400'000, 2, 0).Reap(400'100, 2, Party::Lab()).End(400'200);
  Verdict v = JudgeOne(Actors({"main", "worker"}), tl.t, SectionsExp());
  EXPECT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation,
                  "main (pid 2) entered at 0.200s while worker (pid 3) (inside "
                  "since 0.100s, never left) was inside"));
  EXPECT_TRUE(Has(v.explanation, "Never left (counted to the writer's exit): worker (pid 3)"));
}

}  // namespace
}  // namespace proclab::expect_test
