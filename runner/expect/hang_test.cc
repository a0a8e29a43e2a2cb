// A timeout in words: hand-built timelines whose timeout carries the
// snapshot the lab takes, and a twin without it.
#include "runner/expect/hang.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

ProcessSnapshot Stuck(pid_t pid, pid_t ppid, const std::string& call, int64_t last_us) {
  ProcessSnapshot s = Snap(pid, ppid, 'S');
  s.syscall = call;
  s.last_event_us = last_us;
  return s;
}

Event Timeout(int64_t us, std::vector<ProcessSnapshot> processes) {
  Event e;
  e.t_us = us;
  e.type = EventType::kLimit;
  e.kind = "timeout";
  e.detail = "the run passed its 5s timeout";
  e.processes = std::move(processes);
  return e;
}

// The driver forks the conductor, which exits at 1.1s; the driver waits in
// pause() until the timeout at 5s kills it.
Timeline PauseRun(bool snapshot) {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(1'000, 3, 2).Exit(1'100'000, 3, 0);
  tl.Reap(1'100'100, 3, Party::Process(2));
  tl.Output(1'200'000, 2, "waiting\n");
  tl.t.Add(Timeout(5'000'000, snapshot ? std::vector{Stuck(2, kLab, "pause", 1'200'000)}
                                       : std::vector<ProcessSnapshot>{}));
  tl.KilledByLab(5'000'000, 2, "timeout").Killed(5'000'100, 2, SIGKILL);
  return std::move(tl.End(5'001'000).t);
}

std::string Hang(const Scenario& s, const Timeline& t, const std::vector<pid_t>& only = {}) {
  Names names(s, t);
  const Event* timeout = expect::FindTimeout(t);
  EXPECT_NE(timeout, nullptr);
  return timeout ? expect::DescribeHang(names, *timeout, only) : "";
}

TEST(Hang, AParentInPauseAfterItsChildExited) {
  const Timeline t = PauseRun(true);
  const std::string text = Hang(DriverConductor(), t);
  EXPECT_TRUE(Has(text,
                  "driver (pid 2) was in pause(), waiting for a signal, nothing seen from it "
                  "since 1.200s"));
  EXPECT_TRUE(Has(text, "conductor (pid 3) had exited at 1.100s"));
  EXPECT_TRUE(Lacks(text, "not reaped"));
  EXPECT_TRUE(Lacks(text, "deadlock"));
}

TEST(Hang, TheTimeoutVerdictAndTheFateSayIt) {
  Scenario s = DriverConductor();
  s.timeout_us = 5'000'000;
  Expectation exit = Exp(K::kExit, "driver");
  exit.code = 0;
  s.expectations = {exit};
  const auto verdicts = Judge(s, PauseRun(true));
  ASSERT_GE(verdicts.size(), 2u);
  EXPECT_TRUE(Has(verdicts[0].explanation,
                  "the run did not finish within 5s; the lab killed what was left. At 5.000s, "
                  "driver (pid 2) was in pause()"))
      << Show(verdicts[0]);
  EXPECT_TRUE(Has(verdicts[1].explanation,
                  "driver (pid 2) was in pause(), waiting for a signal, when the lab killed it "
                  "at 5.000s (timeout)"));
  // Negative control: a trace from before the snapshot keeps the old words.
  const auto old = Judge(s, PauseRun(false));
  EXPECT_EQ(old[0].explanation, "the run did not finish within 5s; the lab killed what was left");
  EXPECT_TRUE(Has(old[1].explanation, "was still running when the lab killed it"));
}

// worker1 holds a and waits for b; worker2 holds b and waits for a.
Timeline Deadlock(bool cycle) {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(1'000, 3, 2).Fork(2'000, 4, 2);
  ProcessSnapshot main = Stuck(2, kLab, "wait4", 2'000);
  ProcessSnapshot w1 = Stuck(3, 2, "flock", 1'000);
  w1.locks = {FileLock{"flock", true, "/tmp/a", {}}};
  w1.lock_wait = FileLock{"flock", true, "/tmp/b", {4}};
  ProcessSnapshot w2 = Stuck(4, 2, cycle ? "flock" : "pause", 1'200'000);
  w2.locks = {FileLock{"flock", true, "/tmp/b", {}}};
  if (cycle) w2.lock_wait = FileLock{"flock", true, "/tmp/a", {3}};
  tl.t.Add(Timeout(5'000'000, {main, w1, w2}));
  return std::move(tl.End(5'001'000).t);
}

Scenario Workers() {
  Scenario s;
  s.name = "unit";
  s.program = {"python3", "w.py"};
  s.roles = {MainRole("main"), ChildRole("worker1", "main", 1), ChildRole("worker2", "main", 2)};
  return s;
}

TEST(Hang, TwoProcessesEachHoldingTheLockTheOtherWaitsForAreADeadlock) {
  const std::string text = Hang(Workers(), Deadlock(true));
  EXPECT_TRUE(Has(text,
                  "worker1 (pid 3) and worker2 (pid 4) were each blocked on a file lock the "
                  "other held: a deadlock"));
  EXPECT_TRUE(Has(text,
                  "worker1 (pid 3) waited in flock() for a write lock (flock) on /tmp/b, held "
                  "by worker2 (pid 4)"));
  EXPECT_TRUE(Has(text, "nothing seen from them since 1.200s"));
  EXPECT_TRUE(Has(text,
                  "main (pid 2) was in wait4(), waiting for a child: worker1 (pid 3) or worker2 "
                  "(pid 4)"));
  // Only the processes a step was about, and the deadlock they are part of.
  const std::string mine = Hang(Workers(), Deadlock(true), {2});
  EXPECT_TRUE(Lacks(mine, "deadlock"));
  EXPECT_TRUE(Has(mine, "main (pid 2) was in wait4()"));
}

TEST(Hang, ALockHeldByAProcessBlockedElsewhereIsNoDeadlock) {
  // Negative control: worker2 holds b but waits in pause(), not for a lock.
  const std::string text = Hang(Workers(), Deadlock(false));
  EXPECT_TRUE(Lacks(text, "deadlock"));
  EXPECT_TRUE(Has(text,
                  "worker1 (pid 3) was in flock() for a write lock (flock) on /tmp/b, "
                  "held by worker2 (pid 4)"));
  EXPECT_TRUE(Has(text, "worker2 (pid 4) was in pause()"));
}

TEST(Hang, ABusyLoopIsRunningWithItsCpuTime) {
  Tl tl;
  tl.Spawn(0, 2, "python3");
  ProcessSnapshot busy = Snap(2, kLab, 'R');
  busy.cpu_us = 950'000;
  busy.last_event_us = 3'000;
  tl.t.Add(Timeout(1'000'000, {busy}));
  Scenario s;
  s.name = "unit";
  s.program = {"python3", "busy.py"};
  s.roles = {MainRole("main")};
  const std::string text = Hang(s, tl.End(1'001'000).t);
  EXPECT_EQ(text, "main (pid 2) was running, having used 0.950s of CPU");
}

TEST(Hang, AFewProcessesAreNamedAndTheRestCounted) {
  Tl tl;
  tl.Spawn(0, 2, "python3");
  std::vector<ProcessSnapshot> many;
  for (pid_t pid = 2; pid < 22; ++pid) {
    if (pid > 2) tl.Fork(1'000 + pid, pid, 2);
    many.push_back(pid % 4 ? Stuck(pid, 2, "wait4", 1'000) : Snap(pid, 2, 'R'));
  }
  tl.t.Add(Timeout(1'000'000, many));
  Scenario s;
  s.name = "unit";
  s.program = {"python3", "bomb.py"};
  const std::string text = Hang(s, tl.End(1'001'000).t);
  EXPECT_TRUE(Has(text, "pid 9 (python3) was in wait4()"));
  EXPECT_TRUE(Lacks(text, "pid 10 (python3) was"));
  EXPECT_TRUE(Has(text, "; 12 more: 9 in wait4() and 3 running")) << text;
}

}  // namespace
}  // namespace proclab::expect_test
