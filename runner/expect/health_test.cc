// processes, duration, pid, no_leaks, no_zombies: the run as a whole.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

const Scenario kDc = DriverConductor();

// main (2) forks 3 and 4; 3 exits and is reaped, then pid 3 is reused by a
// new child; a thread is created (not a process). At most 3 alive at once.
Tl Forks() {
  Tl tl;
  tl.Spawn(0, 2).Fork(10'000, 3, 2).Fork(20'000, 4, 2).Thread(25'000, 9, 2);
  tl.Exit(100'000, 3, 0).Reap(100'010, 3, Party::Process(2)).Fork(200'000, 3, 2);
  tl.Exit(300'000, 3, 0)
      .Reap(300'010, 3, Party::Process(2))
      .Exit(310'000, 4, 0)
      .Reap(310'010, 4, Party::Process(2));
  return std::move(tl.Exit(400'000, 2, 0).Reap(400'010, 2, Party::Process(kLab)).End(1'500'000));
}

Expectation ProcessesExp(IntRange max_alive, IntRange total = {}, IntRange distinct = {}) {
  Expectation e = Exp(K::kProcesses);
  e.counts = std::make_shared<const Expectation::ProcessCounts>(
      Expectation::ProcessCounts{max_alive, total, distinct});
  return e;
}

TEST(ExpectProcessesTest, CountsProcessesNotThreads) {
  Verdict v =
      JudgeOne(kDc, Forks().t,
               ProcessesExp(IntRange{std::nullopt, 3}, IntRange::Exactly(4), IntRange::Exactly(3)));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.explanation,
            "4 processes in all (3 distinct pids); at most 3 alive at once (at 0.020s)");
}

TEST(ExpectProcessesTest, FailingTwins) {
  Verdict v = JudgeOne(kDc, Forks().t, ProcessesExp(IntRange{std::nullopt, 2}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "at most 3 alive at once (at 0.020s); expected ")) << Show(v);
  v = JudgeOne(kDc, Forks().t, ProcessesExp({}, IntRange::Exactly(3)));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "4 processes in all (3 distinct pids); at most 3 alive at once (at 0.020s); "
                  "expected 3 in all"))
      << Show(v);
  v = JudgeOne(kDc, Forks().t, ProcessesExp({}, {}, IntRange{4, std::nullopt}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "; expected at least 4 distinct pids")) << Show(v);
}

TEST(ExpectProcessesTest, MaxAliveWordingForARange) {
  Verdict v = JudgeOne(kDc, Forks().t, ProcessesExp(IntRange{std::nullopt, 2}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "expected the peak to be at most 2")) << Show(v);
}

TEST(ExpectProcessesTest, ScalarMaxAliveIsACeiling) {
  // The loader reads `processes: {max_alive: 4}` as {max: 4}; the peak here
  // is 3, which is within "at most 4".
  Verdict v = JudgeOne(kDc, Forks().t, ProcessesExp(IntRange{std::nullopt, 4}));
  EXPECT_TRUE(v.passed);
}

// duration -----------------------------------------------------------------

Expectation DurationExp(const std::string& process, std::optional<int64_t> min,
                        std::optional<int64_t> max) {
  Expectation e = Exp(K::kDuration, process);
  e.min_us = min;
  e.max_us = max;
  return e;
}

TEST(ExpectDurationTest, TheWholeRun) {
  Verdict v = JudgeOne(kDc, Forks().t, DurationExp("", 1'000'000, 2'000'000));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.explanation, "the run took 1.500s");
  v = JudgeOne(kDc, Forks().t, DurationExp("", std::nullopt, 1'000'000));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "the run took 1.500s, more than 1s");
}

TEST(ExpectDurationTest, OneProcess) {
  Verdict v = JudgeOne(kDc, Forks().t, DurationExp("driver", 300'000, std::nullopt));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.explanation, "driver (pid 2) took 0.400s");
  v = JudgeOne(kDc, Forks().t, DurationExp("driver", 550'000, std::nullopt));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "driver (pid 2) took 0.400s, less than 550ms");
  Tl forever;
  forever.Spawn(0, 2).End(5'000'000);
  v = JudgeOne(kDc, forever.t, DurationExp("driver", std::nullopt, 1'000'000));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "driver (pid 2) never ended");
  v = JudgeOne(kDc, forever.t, DurationExp("conductor", std::nullopt, 1'000'000));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'conductor'")) << Show(v);
}

// pid ----------------------------------------------------------------------

Expectation PidExp(const std::string& process, int64_t pid) {
  Expectation e = Exp(K::kPid, process);
  e.pid = pid;
  return e;
}

TEST(ExpectPidTest, PassesInAPidNamespace) {
  Verdict v = JudgeOne(kDc, Forks().t, PidExp("conductor", 3));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_FALSE(v.skipped);
  EXPECT_EQ(v.explanation, "conductor had pid 3");
  v = JudgeOne(kDc, Forks().t, PidExp("conductor", 4));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "conductor had pid 3, not 4");
  v = JudgeOne(Actors({"a", "b"}), Forks().t, PidExp("b", 4));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'b'")) << Show(v);
}

TEST(ExpectPidTest, SkippedWithoutAPidNamespace) {
  Tl tl(2, /*pid_namespace=*/false);
  tl.Spawn(0, 2).Fork(10'000, 3, 2).End(100'000);
  tl.t.lab.note = "unprivileged: no user namespaces";
  for (int64_t want : {3, 4}) {  // it does not judge at all, right or wrong
    Verdict v = JudgeOne(kDc, tl.t, PidExp("conductor", want));
    EXPECT_TRUE(v.skipped) << Show(v);
    EXPECT_TRUE(v.passed);
    EXPECT_TRUE(Has(v.explanation,
                    "skipped: pids are repeatable only in a PID namespace, and this lab had none "
                    "(unprivileged: no user namespaces)"));
  }
}

// no_leaks -----------------------------------------------------------------

TEST(ExpectNoLeaksTest, PassesWhenNothingWasLeftRunning) {
  Verdict v = JudgeOne(kDc, Forks().t, Exp(K::kNoLeaks));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.expectation, "no_leaks");
  EXPECT_EQ(v.explanation, "nothing was left running after the main process exited");
}

TEST(ExpectNoLeaksTest, FailsForAChildLeftRunning) {
  Tl tl;
  tl.Spawn(0, 2).Fork(10'000, 3, 2).Exit(100'000, 2, 0).Reparent(100'010, 3, 2, kLab);
  tl.KilledByLab(2'100'000, 3, "still running 2.000s after the main process exited")
      .Killed(2'100'100, 3, SIGKILL);
  tl.End(2'200'000);
  Verdict v = JudgeOne(kDc, tl.t, Exp(K::kNoLeaks));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(
      v.explanation,
      "conductor (pid 3), started by driver (pid 2), was still running after the main process "
      "exited; the lab killed it");
}

TEST(ExpectNoLeaksTest, ATimeoutIsNotALeak) {
  Tl tl;
  tl.Spawn(0, 2)
      .Fork(10'000, 3, 2)
      .KilledByLab(5'000'000, 2, "timeout")
      .KilledByLab(5'000'000, 3, "timeout");
  tl.Killed(5'000'100, 2, SIGKILL).Killed(5'000'100, 3, SIGKILL).End(5'100'000);
  EXPECT_TRUE(JudgeOne(kDc, tl.t, Exp(K::kNoLeaks)).passed);
}

// no_zombies ---------------------------------------------------------------

// driver (2) forks conductor (3), which exits at 50ms; the driver reaps it
// (or not) and exits at 300ms.
Tl Zombie(std::optional<Party> reaper) {
  Tl tl;
  tl.Spawn(0, 2).Fork(1'000, 3, 2).Exit(50'000, 3, 0);
  if (reaper) tl.Reap(reaper->kind == Party::kKernel ? 50'010 : 200'000, 3, *reaper);
  tl.Exit(300'000, 2, 0).Reap(300'010, 2, Party::Process(kLab));
  if (!reaper) tl.Reparent(300'005, 3, 2, kLab).Reap(300'020, 3, Party::Process(kLab));
  return std::move(tl.End(400'000));
}

TEST(ExpectNoZombiesTest, PassesWhenTheParentWaited) {
  Verdict v = JudgeOne(kDc, Zombie(Party::Process(2)).t, Exp(K::kNoZombies));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.explanation, "every child that exited was reaped by its parent");
  EXPECT_TRUE(JudgeOne(kDc, Zombie(Party::Kernel()).t, Exp(K::kNoZombies)).passed);
}

TEST(ExpectNoZombiesTest, FailsWhenTheParentNeverWaited) {
  Verdict v = JudgeOne(kDc, Zombie(std::nullopt).t, Exp(K::kNoZombies));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation,
            "conductor (pid 3) exited at 0.050s but driver (pid 2) never waited for it: it stayed "
            "a zombie until driver (pid 2) exited with code 0 at 0.300s");
}

TEST(ExpectNoZombiesTest, AnOrphanThatOutlivedItsParentIsNoZombie) {
  Tl tl;
  tl.Spawn(0, 2).Fork(1'000, 3, 2).Exit(100'000, 2, 0).Reparent(100'010, 3, 2, kLab);
  tl.Exit(500'000, 3, 0).Reap(500'010, 3, Party::Process(kLab)).End(600'000);
  EXPECT_TRUE(JudgeOne(kDc, tl.t, Exp(K::kNoZombies)).passed);
}

}  // namespace
}  // namespace proclab::expect_test
