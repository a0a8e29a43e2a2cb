// The explanation of every expectation kind, passing and failing, in full:
// what a student reads. One run of a driver-and-conductor program (with a
// zombie, an orphan and a leak) is judged against each expectation.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"
#include "tests/approval/approval.h"

namespace proclab::approval {
namespace {

using namespace proclab::expect_test;  // NOLINT(google-build-using-namespace): test vocabulary

// driver (2, python3) forks conductor (3) and helper (4). The conductor
// sends SIGUSR1 (handled) and SIGUSR2 (ignored) to the driver, prints, exits
// 0 at 0.5s and is reaped by the driver. The helper exits 1 at 0.2s and is
// never waited for (a zombie until the driver exits). The driver forks a
// straggler (5) that outlives it and is killed by the lab; Ctrl-C from the
// terminal kills the driver at 0.8s.
Timeline TheRun() {
  Tl tl;
  tl.Spawn(0, 2, "python3", {"python3", "dc.py"}).Fork(10'000, 3, 2).Fork(12'000, 4, 2);
  tl.Checkpoint(100'000, "started", {Snap(2, kLab, 'S'), Snap(3, 2, 'S'), Snap(4, 2, 'R')});
  tl.Sent(150'000, SIGUSR1, Party::Process(3), 2)
      .Delivered(150'100, SIGUSR1, 2, Party::Process(3), Outcome::kHandled);
  tl.Output(160'000, 2, "发车了\n");
  tl.Exit(200'000, 4, 1);
  tl.Sent(250'000, SIGUSR2, Party::Process(3), 2)
      .Delivered(250'100, SIGUSR2, 2, Party::Process(3), Outcome::kIgnored);
  tl.Sent(260'000, SIGTERM, Party::Process(3), 99, "ESRCH");
  tl.Output(300'000, 3, "conductor done\n").Output(310'000, 3, "oops\n", Stream::kStderr);
  tl.Exit(500'000, 3, 0).Reap(500'100, 3, Party::Process(2));
  tl.Fork(600'000, 5, 2);
  tl.Delivered(800'000, SIGINT, 2, Party::Tty(), Outcome::kKilled).Killed(800'050, 2, SIGINT);
  tl.Reparent(800'060, 4, 2, kLab).Reap(800'070, 4, Party::Process(kLab));
  tl.Reparent(800'080, 5, 2, kLab).Reap(800'090, 2, Party::Process(kLab));
  tl.KilledByLab(2'800'000, 5, "still running 2s after the main process exited");
  tl.Delivered(2'800'010, SIGKILL, 5, Party::Lab(), Outcome::kKilled).Killed(2'800'020, 5, SIGKILL);
  tl.Reap(2'800'030, 5, Party::Process(kLab));
  return std::move(tl.End(2'900'000).t);
}

Scenario Roles() {
  Scenario s;
  s.name = "dc";
  s.program = {"python3", "dc.py"};
  s.roles = {MainRole("driver"), ChildRole("conductor", "driver", 1),
             ChildRole("helper", "driver", 2), ChildRole("straggler", "driver", 3)};
  s.timeout_us = 10'000'000;
  return s;
}

Expectation Exit(std::string who, int code) {
  Expectation e = Exp(K::kExit, std::move(who));
  e.code = code;
  return e;
}
Expectation Killed(std::string who, int sig) {
  Expectation e = Exp(K::kKilled, std::move(who));
  e.sig = sig;
  return e;
}
Expectation State(std::string who, std::string at, std::string is) {
  Expectation e = Exp(K::kState, std::move(who));
  e.at = std::move(at);
  e.is = std::move(is);
  return e;
}
Expectation Parent(std::string who, std::string is) {
  Expectation e = Exp(K::kParent, std::move(who));
  e.is = std::move(is);
  return e;
}
Expectation Reaped(std::string who, std::string by) {
  Expectation e = Exp(K::kReaped, std::move(who));
  e.by = std::move(by);
  return e;
}
Expectation NoSignal(int sig, std::string to) {
  Expectation e = Exp(K::kNoSignal);
  e.sig = sig;
  e.to = std::move(to);
  return e;
}
Expectation Order(std::vector<std::string> names) {
  Expectation e = Exp(K::kOrder);
  for (const auto& n : names) e.order.push_back(*ParseEventName(n));
  return e;
}
Expectation Count(Expectation e, IntRange r) {
  e.count = r;
  return e;
}
Expectation Pid(std::string who, int pid) {
  Expectation e = Exp(K::kPid, std::move(who));
  e.pid = pid;
  return e;
}
Expectation Processes(IntRange max_alive, IntRange total) {
  Expectation e = Exp(K::kProcesses);
  e.counts = std::make_shared<const Expectation::ProcessCounts>(
      Expectation::ProcessCounts{max_alive, total, {}});
  return e;
}
Expectation Duration(std::string who, std::optional<int64_t> min, std::optional<int64_t> max) {
  Expectation e = Exp(K::kDuration, std::move(who));
  e.min_us = min;
  e.max_us = max;
  return e;
}

TEST(ExplanationsApproval, EveryKindPassingAndFailing) {
  const std::vector<Expectation> all = {
      Exit("conductor", 0),
      Exit("conductor", 3),
      Exit("driver", 0),
      Exit("nobody", 0),
      Killed("driver", SIGINT),
      Killed("driver", SIGTERM),
      Killed("conductor", SIGKILL),
      State("helper", "started", "running"),
      State("helper", "started", "sleeping"),
      State("straggler", "started", "running"),
      Parent("helper", "lab"),
      Parent("conductor", "lab"),
      Reaped("conductor", "driver"),
      Reaped("helper", "driver"),
      SignalExp(SIGUSR1, "conductor", "driver", Outcome::kHandled),
      SignalExp(SIGUSR2, "conductor", "driver", Outcome::kHandled),
      SignalExp(SIGTERM, "conductor", "driver"),
      SignalExp(SIGINT, "tty", "driver"),
      Count(SignalExp(SIGUSR1, "", "driver"), IntRange::Exactly(2)),
      NoSignal(SIGQUIT, "driver"),
      NoSignal(SIGUSR2, "driver"),
      Order({"exit conductor", "exit driver"}),
      Order({"exit driver", "exit conductor"}),
      Order({"output \"发车\" by driver", "signal SIGUSR2 from conductor to driver #1"}),
      OutputExp(K::kOutput, "^发车了$", "driver"),
      OutputExp(K::kOutput, "^到站了$", "driver"),
      Count(OutputExp(K::kOutput, ".", "conductor"), IntRange::Exactly(1)),
      OutputExp(K::kNoOutput, "oops"),
      OutputExp(K::kNoOutput, "panic"),
      Pid("conductor", 3),
      Pid("conductor", 7),
      Processes(IntRange{std::nullopt, 3}, IntRange::Exactly(4)),
      Processes(IntRange{std::nullopt, 2}, IntRange::Exactly(3)),
      Duration("conductor", std::nullopt, 1'000'000),
      Duration("conductor", 600'000, std::nullopt),
      Exp(K::kNoLeaks),
      Exp(K::kNoZombies),
  };
  Expectation lua = Exp(K::kLua);
  lua.lua = "#t:pids('driver') == 1";
  const Timeline t = TheRun();
  std::string text;
  auto add = [&](const Verdict& v) {
    text += (v.passed ? "PASS  " : "FAIL  ") + v.expectation + "\n      " + v.explanation + "\n";
  };
  for (const auto& e : all) add(JudgeOne(Roles(), t, e));
  add(JudgeOne(Roles(), t, lua));
  EXPECT_TRUE(MatchesBaseline("explanations", text));
}

TEST(ExplanationsApproval, ATimeout) {
  Tl tl;
  tl.Spawn(0, 2, "sleep", {"sleep", "100"});
  Event limit;
  limit.type = EventType::kLimit;
  limit.t_us = 10'000'000;
  limit.kind = "timeout";
  limit.detail = "the run passed its 10s timeout";
  tl.t.Add(limit);
  tl.KilledByLab(10'000'000, 2, "timeout").Killed(10'000'100, 2, SIGKILL);
  tl.Reap(10'000'200, 2, Party::Process(kLab)).End(10'001'000);
  Scenario s = Roles();
  s.expectations = {Exit("driver", 0)};
  std::string text;
  for (const auto& v : Judge(s, tl.t))
    text += (v.passed ? "PASS  " : "FAIL  ") + v.expectation + "\n      " + v.explanation + "\n";
  EXPECT_TRUE(MatchesBaseline("explanations.timeout", text));
}

}  // namespace
}  // namespace proclab::approval
