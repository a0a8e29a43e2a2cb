// cpu, parallelism and rss on hand-built timelines. Each check has its
// negative control: the same timeline against a bound it does not meet.
#include <gtest/gtest.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

NumberExpr Num(const std::string& text, bool seconds) {
  NumberExpr::ParseError err;
  auto e = NumberExpr::Parse(text, {seconds, {"cpus"}}, &err);
  EXPECT_TRUE(e) << err.message;
  return e ? *e : NumberExpr::Constant(0);
}

Expectation Cpu(std::string process, std::string min, std::string max, bool children = false) {
  Expectation e = Exp(K::kCpu, std::move(process));
  auto r = std::make_shared<ResourceCheck>();
  if (!min.empty()) r->min = Num(min, true);
  if (!max.empty()) r->max = Num(max, true);
  r->children = children;
  e.resources = r;
  return e;
}

Expectation Parallelism(std::string from, std::string to, std::string min, std::string max) {
  Expectation e = Exp(K::kParallelism);
  auto r = std::make_shared<ResourceCheck>();
  if (!from.empty()) r->from = std::make_shared<const EventName>(*ParseEventName(from));
  if (!to.empty()) r->to = std::make_shared<const EventName>(*ParseEventName(to));
  if (!min.empty()) r->min = Num(min, false);
  if (!max.empty()) r->max = Num(max, false);
  e.resources = r;
  return e;
}

Expectation Rss(std::string process, int64_t max_kb) {
  Expectation e = Exp(K::kRss, std::move(process));
  auto r = std::make_shared<ResourceCheck>();
  r->max_rss_kb = max_kb;
  e.resources = r;
  return e;
}

// main (pid 2) forks worker (pid 3), which forks helper (pid 4).
Tl Family(int64_t main_us, int64_t worker_us, int64_t helper_us) {
  Tl tl;
  tl.Spawn(1000, 2).Actor(1000, 2, "main").Fork(2000, 3, 2).Actor(2000, 3, "worker");
  tl.Fork(3000, 4, 3).Actor(3000, 4, "helper");
  tl.ExitUsing(900'000, 4, 0, helper_us).Reap(900'100, 4, Party::Process(3));
  tl.ExitUsing(950'000, 3, 0, worker_us).Reap(950'100, 3, Party::Process(2));
  tl.ExitUsing(1'000'000, 2, 0, main_us).Reap(1'000'100, 2, Party::Lab()).End(1'000'200);
  return tl;
}

const Scenario kFamily = Actors({"main", "worker", "helper"});

TEST(CpuCheck, AProcessOwnCpuIsItsThreadsNotItsChildren) {
  Tl tl = Family(100'000, 700'000, 300'000);
  Verdict own = JudgeOne(kFamily, tl.t, Cpu("worker", "600ms", "800ms"));
  EXPECT_TRUE(own.passed) << Show(own);
  EXPECT_TRUE(Has(own.explanation, "worker (pid 3) used 0.700s of CPU"));
  // Negative control: its own 0.7s is not the 1s of it and its child.
  Verdict without = JudgeOne(kFamily, tl.t, Cpu("worker", "1s", ""));
  EXPECT_FALSE(without.passed) << Show(without);
  EXPECT_TRUE(Has(without.explanation, "less than 1.000s"));
  Verdict with = JudgeOne(kFamily, tl.t, Cpu("worker", "1s", "", /*children=*/true));
  EXPECT_TRUE(with.passed) << Show(with);
  EXPECT_TRUE(Has(with.explanation, "and their descendants used 1.000s"));
}

TEST(CpuCheck, WithoutAProcessTheWholeRunCounts) {
  Tl tl = Family(100'000, 700'000, 300'000);
  EXPECT_TRUE(JudgeOne(kFamily, tl.t, Cpu("", "1.1s", "1.1s")).passed);
  Verdict over = JudgeOne(kFamily, tl.t, Cpu("", "", "1s"));
  EXPECT_FALSE(over.passed) << Show(over);
  EXPECT_TRUE(Has(over.explanation, "the run's processes used 1.100s of CPU"));
  EXPECT_TRUE(Has(over.explanation, "worker (pid 3) 0.700s"));
}

TEST(CpuCheck, BoundsRelativeToTheGrantedCpus) {
  Tl tl = Family(100'000, 700'000, 300'000);
  // 1.1s of CPU against 0.5s per CPU: passes on 2 CPUs, fails on 4.
  tl.Cpus(2);
  Verdict two = JudgeOne(kFamily, tl.t, Cpu("", "0.5s * cpus", ""));
  EXPECT_TRUE(two.passed) << Show(two);
  tl.Cpus(4);
  Verdict four = JudgeOne(kFamily, tl.t, Cpu("", "0.5s * cpus", ""));
  EXPECT_FALSE(four.passed) << Show(four);
  EXPECT_TRUE(Has(four.explanation, "less than 0.5s * cpus = 2.000s"));
  // A trace that does not say how many: no value for cpus, so no pass.
  tl.t.lab.cpus.clear();
  Verdict unknown = JudgeOne(kFamily, tl.t, Cpu("", "0.5s * cpus", ""));
  EXPECT_FALSE(unknown.passed);
  EXPECT_TRUE(Has(unknown.explanation, "does not say how many CPUs"));
}

TEST(CpuCheck, AProcessWithoutFiguresFailsSayingWhy) {
  Tl tl;
  tl.Spawn(1000, 2).Actor(1000, 2, "main").Exit(500'000, 2, 0).End(600'000);
  Verdict v = JudgeOne(Actors({"main"}), tl.t, Cpu("main", "", "1s"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no CPU figures"));
}

// main prints phase markers; between them it burns alone (threads held by
// a GIL), then 2 workers burn side by side.
Tl Phases(int64_t threads_cpu) {
  Tl tl;
  tl.Cpus(2).Spawn(1000, 2).Actor(1000, 2, "main");
  tl.Reading({{2, 10'000}}).Output(1'000'000, 2, "threads start\n");
  tl.Reading({{2, 10'000 + threads_cpu}}).Output(3'000'000, 2, "processes start\n");
  tl.Fork(3'001'000, 3, 2).Actor(3'001'000, 3, "worker");
  tl.Fork(3'002'000, 4, 2).Actor(3'002'000, 4, "worker");
  tl.ExitUsing(3'900'000, 3, 0, 880'000).Reap(3'900'100, 3, Party::Process(2));
  tl.ExitUsing(3'910'000, 4, 0, 890'000).Reap(3'910'100, 4, Party::Process(2));
  tl.Reading({{2, 10'000 + threads_cpu + 20'000}}).Output(4'000'000, 2, "done\n");
  tl.ExitUsing(4'100'000, 2, 0, 10'000 + threads_cpu + 30'000)
      .Reap(4'100'100, 2, Party::Lab())
      .End(4'100'200);
  return tl;
}

const Scenario kPhases = Actors({"main", "worker"});

TEST(ParallelismCheck, AWindowBetweenTwoLinesUsesTheReadingsThere) {
  Tl tl = Phases(2'000'000);
  Verdict threads =
      JudgeOne(kPhases, tl.t,
               Parallelism("output \"threads start\"", "output \"processes start\"", "", "1.3"));
  EXPECT_TRUE(threads.passed) << Show(threads);
  EXPECT_TRUE(Has(threads.explanation, "parallelism 1.00 on 2 CPUs"));
  // Negative control: the same window does not reach 0.7 per CPU.
  Verdict scaled = JudgeOne(
      kPhases, tl.t,
      Parallelism("output \"threads start\"", "output \"processes start\"", "0.7 * cpus", ""));
  EXPECT_FALSE(scaled.passed) << Show(scaled);
  EXPECT_TRUE(Has(scaled.explanation, "less than 0.7 * cpus = 1.40"));

  // The workers' window: born and gone inside it, counted by their exits.
  Verdict procs =
      JudgeOne(kPhases, tl.t,
               Parallelism("output \"processes start\"", "output \"done\"", "0.7 * cpus", ""));
  EXPECT_TRUE(procs.passed) << Show(procs);
  EXPECT_TRUE(Has(procs.explanation, "the processes used 1.790s of CPU: parallelism 1.79"));
  Verdict capped = JudgeOne(
      kPhases, tl.t, Parallelism("output \"processes start\"", "output \"done\"", "", "1.3"));
  EXPECT_FALSE(capped.passed) << Show(capped);
}

TEST(ParallelismCheck, TheWholeRunByDefault) {
  Tl tl = Phases(2'000'000);
  // (2.04 + 0.88 + 0.89) s of CPU over 4.1002 s.
  Verdict v = JudgeOne(kPhases, tl.t, Parallelism("", "", "0.9", "1"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "over the whole run"));
  EXPECT_FALSE(JudgeOne(kPhases, tl.t, Parallelism("", "", "1", "")).passed);
}

TEST(ParallelismCheck, NoReadingAtABoundIsAFailureNotAGuess) {
  Tl tl;
  tl.Cpus(2).Spawn(1000, 2).Actor(1000, 2, "main");
  tl.Output(1'000'000, 2, "start\n").Output(2'000'000, 2, "stop\n");
  tl.ExitUsing(2'100'000, 2, 0, 1'500'000).Reap(2'100'100, 2, Party::Lab()).End(2'200'000);
  Verdict v = JudgeOne(Actors({"main"}), tl.t,
                       Parallelism("output \"start\"", "output \"stop\"", "", "10"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "took no CPU reading of pid 2"));
}

TEST(ParallelismCheck, ABoundThatNeverHappenedOrAnEmptyWindowFails) {
  Tl tl = Phases(2'000'000);
  Verdict never = JudgeOne(kPhases, tl.t, Parallelism("output \"nope\"", "", "", "10"));
  EXPECT_FALSE(never.passed);
  EXPECT_TRUE(Has(never.explanation, "the window's start 'output \"nope\"' never happened"));
  Verdict backwards =
      JudgeOne(kPhases, tl.t, Parallelism("output \"done\"", "output \"threads start\"", "", "10"));
  EXPECT_FALSE(backwards.passed);
  EXPECT_TRUE(Has(backwards.explanation, "the window is empty"));
}

TEST(RssCheck, EachProcessCalledSoStaysUnderTheMax) {
  Tl tl;
  tl.Spawn(1000, 2).Actor(1000, 2, "main").Fork(2000, 3, 2).Actor(2000, 3, "worker");
  tl.Fork(3000, 4, 2).Actor(3000, 4, "worker");
  tl.ExitUsing(100'000, 3, 0, 1000, 10 * 1024).Reap(100'100, 3, Party::Process(2));
  tl.ExitUsing(200'000, 4, 0, 1000, 100 * 1024).Reap(200'100, 4, Party::Process(2));
  tl.ExitUsing(300'000, 2, 0, 1000).Reap(300'100, 2, Party::Lab()).End(300'200);
  const Scenario s = Actors({"main", "worker"});
  Verdict big = JudgeOne(s, tl.t, Rss("worker", 64 * 1024));
  EXPECT_FALSE(big.passed) << Show(big);
  EXPECT_TRUE(Has(big.explanation, "worker (pid 4) peaked at 100MiB resident, more than 64MiB"));
  Verdict ok = JudgeOne(s, tl.t, Rss("worker", 128 * 1024));
  EXPECT_TRUE(ok.passed) << Show(ok);
}

}  // namespace
}  // namespace proclab::expect_test
