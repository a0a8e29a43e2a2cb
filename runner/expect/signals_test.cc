// signal and no_signal. A failing signal expectation must tell the story of
// what happened instead: never sent, sent elsewhere, kill() failed, another
// sender or outcome, or the receiver was already dead.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

// driver (2, python3) forks conductor (3).
Tl Start() {
  Tl tl;
  tl.Spawn(0, 2, "python3", {"python3", "driver_conductor.py"}).Fork(10'000, 3, 2);
  return tl;
}

// The conductor signals the driver, which handles both signals; all end well.
Tl GoodRun() {
  Tl tl = Start();
  tl.Sent(200'000, SIGUSR1, Party::Process(3), 2)
      .Delivered(200'100, SIGUSR1, 2, Party::Process(3), Outcome::kHandled);
  tl.Sent(400'000, SIGUSR2, Party::Process(3), 2)
      .Delivered(400'100, SIGUSR2, 2, Party::Process(3), Outcome::kHandled);
  tl.Exit(500'000, 3, 0).Delivered(500'010, SIGCHLD, 2, Party::Kernel(), Outcome::kIgnored);
  tl.Reap(500'020, 3, Party::Process(2)).Exit(600'000, 2, 0).Reap(600'010, 2, Party::Process(kLab));
  return std::move(tl.End(700'000));
}

// Ctrl-C at 300ms before the conductor sent anything: both die of SIGINT.
Tl CtrlCFirst() {
  Tl tl = Start();
  tl.SentGroup(300'000, SIGINT, Party::Tty(), 2);
  tl.Delivered(300'100, SIGINT, 2, Party::Tty(), Outcome::kKilled).Killed(300'200, 2, SIGINT);
  tl.Delivered(300'150, SIGINT, 3, Party::Tty(), Outcome::kKilled).Killed(300'250, 3, SIGINT);
  return std::move(tl.Reap(300'300, 2, Party::Process(kLab)).End(400'000));
}

const Scenario kDcSignals = DriverConductor();

TEST(ExpectSignalTest, PassesAndQuotesTheDelivery) {
  Verdict v = JudgeOne(kDcSignals, GoodRun().t,
                       SignalExp(SIGUSR1, "conductor", "driver", Outcome::kHandled));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.expectation, "signal: {sig: SIGUSR1, from: conductor, to: driver, outcome: handled}");
  EXPECT_TRUE(Has(v.explanation,
                  "driver (pid 2) got SIGUSR1 from conductor (pid 3) at 0.200s and handled it"));
}

// The conductor sends SIGUSR2 and _exits at once; the driver, in waitpid,
// reaps it before the tracer sees the delivery. The sender is still the
// conductor (it was judged "from nobody called conductor", while the
// explanation said "from conductor").
TEST(ExpectSignalTest, ASenderReapedBeforeTheDeliveryIsStillItself) {
  Tl tl = Start();
  tl.Sent(400'000, SIGUSR2, Party::Process(3), 2).Exit(400'050, 3, 0);
  tl.Reap(400'080, 3, Party::Process(2))
      .Delivered(400'100, SIGUSR2, 2, Party::Process(3), Outcome::kHandled);
  tl.Exit(500'000, 2, 0).Reap(500'010, 2, Party::Process(kLab)).End(600'000);
  Verdict v =
      JudgeOne(kDcSignals, tl.t, SignalExp(SIGUSR2, "conductor", "driver", Outcome::kHandled));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "driver (pid 2) got SIGUSR2 from conductor (pid 3)")) << Show(v);
}

TEST(ExpectSignalTest, ReceiverKilledByTheTerminalFirst) {
  Verdict v = JudgeOne(kDcSignals, CtrlCFirst().t,
                       SignalExp(SIGUSR1, "conductor", "driver", Outcome::kHandled));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "expected driver to handle SIGUSR1 from conductor")) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "conductor (pid 3) never sent SIGUSR1"));
  EXPECT_TRUE(
      Has(v.explanation, "driver (pid 2) was killed by SIGINT from the terminal at 0.300s"));
  EXPECT_TRUE(Has(v.explanation, "does driver ignore or handle SIGINT?"));
}

// Python's own SIGINT handler ran (KeyboardInterrupt) where SIG_IGN was
// wanted; a later signal then killed the interpreter on its way out.
Tl CtrlCHandledByPython(const std::string& comm) {
  Tl tl;
  tl.Spawn(0, 2, comm, {comm, "driver_conductor.py"}).Fork(10'000, 3, 2);
  tl.SentGroup(300'000, SIGINT, Party::Tty(), 2);
  tl.Delivered(300'100, SIGINT, 2, Party::Tty(), Outcome::kHandled);
  tl.Sent(330'000, SIGUSR2, Party::Process(3), 2)
      .Delivered(330'100, SIGUSR2, 2, Party::Process(3), Outcome::kKilled);
  tl.Killed(330'200, 2, SIGUSR2);
  return std::move(tl.End(400'000));
}

TEST(ExpectSignalTest, HandledWhereIgnoreWasWantedSaysWhoseHandler) {
  Verdict v = JudgeOne(kDcSignals, CtrlCHandledByPython("python3").t,
                       SignalExp(SIGINT, "tty", "driver", Outcome::kIgnored));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "expected driver to ignore SIGINT from the terminal; driver (pid 2) got SIGINT "
                  "from the terminal at 0.300s and handled it — a handler was installed for it, "
                  "not SIG_IGN (Python installs one for SIGINT"))
      << Show(v);
  EXPECT_TRUE(Has(v.explanation,
                  "; then driver (pid 2) was killed by SIGUSR2 from conductor (pid 3) at 0.330s"))
      << Show(v);
}

TEST(ExpectSignalTest, HandledWhereIgnoreWasWantedNoPythonHintForC) {
  Verdict v = JudgeOne(kDcSignals, CtrlCHandledByPython("driver").t,
                       SignalExp(SIGINT, "tty", "driver", Outcome::kIgnored));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "a handler was installed for it, not SIG_IGN")) << Show(v);
  EXPECT_TRUE(Lacks(v.explanation, "Python")) << Show(v);
}

TEST(ExpectSignalTest, NobodySentItAtAll) {
  Tl tl = Start();
  tl.Exit(500'000, 3, 0).Exit(600'000, 2, 0).End(700'000);
  Verdict v = JudgeOne(kDcSignals, tl.t, SignalExp(SIGUSR1, "", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(
      Has(v.explanation, "expected driver to get SIGUSR1; nobody sent SIGUSR1 to driver (pid 2)"))
      << Show(v);
  EXPECT_TRUE(Has(v.explanation, "driver (pid 2) exited with code 0 at 0.600s"));
  EXPECT_TRUE(Lacks(v.explanation, "ignore or handle"));
}

TEST(ExpectSignalTest, TheSenderSentOtherSignals) {
  Tl tl = Start();
  tl.Sent(200'000, SIGUSR2, Party::Process(3), 2)
      .Delivered(200'100, SIGUSR2, 2, Party::Process(3), Outcome::kHandled);
  tl.Exit(500'000, 3, 0).End(700'000);
  Verdict v = JudgeOne(kDcSignals, tl.t, SignalExp(SIGUSR1, "conductor", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "conductor (pid 3) never sent SIGUSR1 (it sent: SIGUSR2 to driver (pid 2) at "
                  "0.200s); conductor (pid 3) exited with code 0 at 0.500s"))
      << Show(v);
}

TEST(ExpectSignalTest, KillFailedNamesTheErrno) {
  Tl tl = Start();
  tl.Exit(100'000, 2, 0)
      .Reparent(100'010, 3, 2, kLab)
      .Sent(200'000, SIGUSR1, Party::Process(3), 2, "ESRCH");
  tl.Exit(300'000, 3, 0).End(400'000);
  Verdict v = JudgeOne(kDcSignals, tl.t, SignalExp(SIGUSR1, "conductor", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "conductor (pid 3) sent SIGUSR1 to driver (pid 2) at 0.200s but kill() failed "
                  "with ESRCH (no such process: had it exited already?)"))
      << Show(v);
  EXPECT_TRUE(Has(v.explanation, "driver (pid 2) exited with code 0 at 0.100s"));

  Tl perm = Start();
  perm.Sent(200'000, SIGUSR1, Party::Process(3), 2, "EPERM").End(400'000);
  v = JudgeOne(kDcSignals, perm.t, SignalExp(SIGUSR1, "conductor", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "but kill() failed with EPERM")) << Show(v);
}

TEST(ExpectSignalTest, SentToTheWrongProcess) {
  Tl tl = Start();
  tl.Fork(20'000, 4, 2)
      .Sent(200'000, SIGUSR1, Party::Process(3), 4)
      .Delivered(200'100, SIGUSR1, 4, Party::Process(3), Outcome::kKilled)
      .End(400'000);
  Verdict v = JudgeOne(kDcSignals, tl.t, SignalExp(SIGUSR1, "conductor", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "conductor (pid 3) sent SIGUSR1 to pid 4 (python3) at 0.200s, not to driver "
                  "(pid 2)"))
      << Show(v);
}

TEST(ExpectSignalTest, AnotherOutcome) {
  Tl tl = Start();
  tl.Sent(200'000, SIGUSR1, Party::Process(3), 2)
      .Delivered(200'100, SIGUSR1, 2, Party::Process(3), Outcome::kKilled);
  tl.Killed(200'200, 2, SIGUSR1).End(400'000);
  Verdict v =
      JudgeOne(kDcSignals, tl.t, SignalExp(SIGUSR1, "conductor", "driver", Outcome::kHandled));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "driver (pid 2) got SIGUSR1 from conductor (pid 3) at 0.200s and was killed by "
                  "it (no handler was installed)"))
      << Show(v);
  Tl ign = Start();
  ign.Delivered(200'100, SIGUSR1, 2, Party::Process(3), Outcome::kIgnored).End(400'000);
  v = JudgeOne(kDcSignals, ign.t, SignalExp(SIGUSR1, "conductor", "driver", Outcome::kHandled));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "and ignored it (SIGUSR1 was set to SIG_IGN")) << Show(v);
}

TEST(ExpectSignalTest, AnotherSender) {
  Tl tl = Start();
  tl.Delivered(200'100, SIGTERM, 2, Party::Lab(), Outcome::kHandled).End(400'000);
  Verdict v = JudgeOne(kDcSignals, tl.t, SignalExp(SIGTERM, "conductor", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "driver (pid 2) got SIGTERM from the lab at 0.200s and handled it — never from "
                  "conductor"))
      << Show(v);
  EXPECT_TRUE(JudgeOne(kDcSignals, tl.t, SignalExp(SIGTERM, "lab", "driver")).passed);
  v = JudgeOne(kDcSignals, tl.t, SignalExp(SIGTERM, "tty", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "expected driver to get SIGTERM from the terminal")) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "— never from the terminal"));
}

TEST(ExpectSignalTest, Counts) {
  Tl tl = Start();
  for (int i = 0; i < 3; ++i)
    tl.Delivered(200'000 + i * 1'000, SIGUSR1, 2, Party::Process(3), Outcome::kHandled);
  tl.End(400'000);
  Expectation e = SignalExp(SIGUSR1, "conductor", "driver");
  e.count = IntRange::Exactly(3);
  Verdict v = JudgeOne(kDcSignals, tl.t, e);
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "at 0.200s and handled it (3 times)"));
  e.count = IntRange{1, 2};
  v = JudgeOne(kDcSignals, tl.t, e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "it happened 3 times, expected between 1 and 2; first: driver (pid 2) got "
                  "SIGUSR1"))
      << Show(v);
  // count: 0 allows (and demands) that it never happened.
  Expectation none = SignalExp(SIGTERM, "", "driver");
  EXPECT_FALSE(JudgeOne(kDcSignals, GoodRun().t, none).passed);
  none.count = IntRange::Exactly(0);
  v = JudgeOne(kDcSignals, GoodRun().t, none);
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "it never happened, as allowed"));
  e.count = IntRange::Exactly(0);
  v = JudgeOne(kDcSignals, tl.t, e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "it happened 3 times, expected 0")) << Show(v);
}

TEST(ExpectSignalTest, UnknownNames) {
  Verdict v = JudgeOne(kDcSignals, GoodRun().t, SignalExp(SIGUSR1, "", "ghost"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "no process was ever called 'ghost'; processes that did exist: driver, "
                  "conductor"))
      << Show(v);
  v = JudgeOne(kDcSignals, GoodRun().t, SignalExp(SIGUSR1, "ghost", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'ghost'")) << Show(v);
  // A role whose parent never forked.
  Tl alone;
  alone.Spawn(0, 2).Exit(100'000, 2, 0).End(200'000);
  v = JudgeOne(kDcSignals, alone.t, SignalExp(SIGUSR1, "", "conductor"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'conductor'")) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "but driver never forked one)"));
}

TEST(ExpectSignalTest, MissingRoleWithoutNthReadsWell) {
  Scenario s = DriverConductor();
  s.roles.push_back(ChildRole("worker", "driver"));  // every child of driver
  Tl alone;
  alone.Spawn(0, 2).Exit(100'000, 2, 0).End(200'000);
  Verdict v = JudgeOne(s, alone.t, SignalExp(SIGUSR1, "", "worker"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'worker'")) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "it would be a child of driver, but driver never forked one"))
      << Show(v);
}

// The lessons helper's report: a role with child_of and argv said "driver
// never forked one" when driver had forked a child that ran something else.
TEST(ExpectSignalTest, AChildThatRanSomethingElseIsNamedNotDenied) {
  Scenario s = DriverConductor();
  Role worker = ChildRole("worker", "driver");
  worker.argv_regex = "spawn_main";
  s.roles.push_back(worker);
  Tl other;
  other.Spawn(0, 2).Fork(10'000, 3, 2).Exec(20'000, 3, {"python3", "-c", "fork_main"}, "python3");
  other.Exit(90'000, 3, 0).Exit(100'000, 2, 0).End(200'000);
  Verdict v = JudgeOne(s, other.t, SignalExp(SIGUSR1, "", "worker"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "but none of the 1 child driver forked matched argv "
                  "/spawn_main/: "))
      << Show(v);
  EXPECT_TRUE(Has(v.explanation, "'python3 -c fork_main'")) << Show(v);
  EXPECT_FALSE(Has(v.explanation, "never forked")) << Show(v);
  // Control: without the child, it never forked one.
  Tl alone;
  alone.Spawn(0, 2).Exit(100'000, 2, 0).End(200'000);
  v = JudgeOne(s, alone.t, SignalExp(SIGUSR1, "", "worker"));
  EXPECT_TRUE(Has(v.explanation, "but driver never forked one)")) << Show(v);
}

TEST(ExpectSignalTest, SentButNeverDeliveredIsNotNeverSent) {
  // conductor's kill() succeeded, but the driver had SIGUSR1 blocked and exited
  // before unblocking it: there is a send and no delivery.
  Tl tl = Start();
  tl.Sent(200'000, SIGUSR1, Party::Process(3), 2)
      .Exit(300'000, 2, 0)
      .Exit(300'500, 3, 0)
      .End(400'000);
  Verdict with_from = JudgeOne(kDcSignals, tl.t, SignalExp(SIGUSR1, "conductor", "driver"));
  Verdict without_from = JudgeOne(kDcSignals, tl.t, SignalExp(SIGUSR1, "", "driver"));
  EXPECT_FALSE(with_from.passed);
  EXPECT_FALSE(without_from.passed);
  EXPECT_TRUE(
      Has(with_from.explanation, "conductor (pid 3) sent SIGUSR1 to driver (pid 2) at 0.200s"));
}

// no_signal ----------------------------------------------------------------

Expectation NoSignalExp(int sig, const std::string& from, const std::string& to) {
  Expectation e = Exp(K::kNoSignal);
  e.sig = sig;
  e.from = from;
  e.to = to;
  return e;
}

TEST(ExpectNoSignalTest, PassesIgnoringTheKernelsSigchld) {
  Verdict v = JudgeOne(kDcSignals, GoodRun().t, NoSignalExp(0, "", "conductor"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "no such signal was delivered"));
  // Any signal to driver: only SIGCHLD from the kernel is not counted... but
  // SIGUSR1 from conductor is.
  v = JudgeOne(kDcSignals, GoodRun().t, NoSignalExp(0, "", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "driver (pid 2) got SIGUSR1 from conductor (pid 3) at 0.200s and handled it"));
  EXPECT_TRUE(JudgeOne(kDcSignals, GoodRun().t, NoSignalExp(SIGTERM, "", "driver")).passed);
}

TEST(ExpectNoSignalTest, FailsWhenTheSignalCame) {
  Verdict v = JudgeOne(kDcSignals, CtrlCFirst().t, NoSignalExp(SIGINT, "", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "driver (pid 2) got SIGINT from the terminal at 0.300s and was killed by it"))
      << Show(v);
  // Asked for by name, SIGCHLD counts.
  v = JudgeOne(kDcSignals, GoodRun().t, NoSignalExp(SIGCHLD, "", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "got SIGCHLD from the kernel at 0.500s")) << Show(v);
  // Restricted to a sender that did not send it: passes.
  EXPECT_TRUE(
      JudgeOne(kDcSignals, CtrlCFirst().t, NoSignalExp(SIGINT, "conductor", "driver")).passed);
}

}  // namespace
}  // namespace proclab::expect_test
