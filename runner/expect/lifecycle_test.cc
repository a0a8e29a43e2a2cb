// exit, killed, state, parent, reaped: one process's life, each with a passing
// case and a failing twin whose explanation says what happened instead.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

// parent forks child; child exits `code` at 50ms; at 300ms a checkpoint; the
// parent reaps it at `reap_us` (0: never) and exits at 400ms.
Tl ZombieRun(int code = 7, int64_t reap_us = 310'000, char child_state = 'Z') {
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Fork(1'000, 3, 2)
      .Actor(1'000, 3, "child")
      .Exit(50'000, 3, code);
  if (reap_us && reap_us < 300'000) tl.Reap(reap_us, 3, Party::Process(2));
  std::vector<ProcessSnapshot> snaps{Snap(2, kLab, 'S')};
  if (child_state) snaps.push_back(Snap(3, 2, child_state));
  tl.Checkpoint(300'000, "zombie-visible", snaps);
  if (reap_us >= 300'000) tl.Reap(reap_us, 3, Party::Process(2));
  return std::move(tl.Exit(400'000, 2, 0).Reap(401'000, 2, Party::Process(kLab)).End(500'000));
}

Expectation ExitExp(const std::string& process, std::optional<int> code) {
  Expectation e = Exp(K::kExit, process);
  e.code = code;
  return e;
}

TEST(ExpectExitTest, PassesOnTheRightCode) {
  Verdict v = JudgeOne(Actors({"parent", "child"}), ZombieRun(7).t, ExitExp("child", 7));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.expectation, "exit: {process: child, code: 7}");
  EXPECT_TRUE(Has(v.explanation, "child (pid 3) exited with code 7 at 0.050s"));
  EXPECT_EQ(v.loc.line, 7);
}

TEST(ExpectExitTest, FailsOnAnotherCodeAndSaysWhich) {
  Verdict v = JudgeOne(Actors({"parent", "child"}), ZombieRun(3).t, ExitExp("child", 7));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "child (pid 3) exited with code 3 at 0.050s, not 7")) << Show(v);
}

constexpr const char* kEfbig =
    "wrote past its 1MiB file size limit: the write failed with EFBIG (SIGXFSZ ignored)";

TEST(ExpectExitTest, AnExitAfterAWritePastTheFileSizeLimitNamesTheLimit) {
  Tl tl;
  tl.Spawn(0, 2, "big_file").Limit(40'000, 2, "file_size", kEfbig).Exit(50'000, 2, 3).End(60'000);
  Verdict v = JudgeOne(DriverConductor(), tl.t, ExitExp("driver", 0));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "driver (pid 2) exited with code 3 at 0.050s, after it wrote past its 1MiB file "
                  "size limit: the write failed with EFBIG (SIGXFSZ ignored) at 0.040s, not 0"))
      << Show(v);
  // Negative control: killed by SIGXFSZ, the limit is the death itself.
  Tl killed;
  killed.Spawn(0, 2, "big_file")
      .Limit(40'000, 2, "file_size", kEfbig)
      .Killed(50'000, 2, SIGXFSZ)
      .End(60'000);
  Verdict k = JudgeOne(DriverConductor(), killed.t, ExitExp("driver", 0));
  EXPECT_TRUE(Has(k.explanation, "driver (pid 2) wrote past its 1MiB file size limit")) << Show(k);
  EXPECT_FALSE(Has(k.explanation, "exited with code")) << Show(k);
}

TEST(ExpectExitTest, AnyCodeWithoutCode) {
  Verdict v = JudgeOne(Actors({"parent", "child"}), ZombieRun(3).t, ExitExp("child", std::nullopt));
  EXPECT_TRUE(v.passed) << Show(v);
}

TEST(ExpectExitTest, FailsWhenKilledByTheTerminalAndAsksAboutTheHandler) {
  Tl tl;
  tl.Spawn(0, 2, "python3")
      .SentGroup(300'000, SIGINT, Party::Tty(), 2)
      .Delivered(300'100, SIGINT, 2, Party::Tty(), Outcome::kKilled)
      .Killed(300'200, 2, SIGINT)
      .End(400'000);
  Verdict v = JudgeOne(DriverConductor(), tl.t, ExitExp("driver", 0));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "driver (pid 2) was killed by SIGINT from the terminal at 0.300s"))
      << Show(v);
  EXPECT_TRUE(Has(v.explanation, "does it ignore or handle SIGINT?"));
}

TEST(ExpectExitTest, ExplainsAPythonReRaiseOfTheTerminalsSigint) {
  // Python's handler turns SIGINT into KeyboardInterrupt; unhandled, the
  // interpreter restores the default and kills itself with the same signal.
  Tl tl;
  tl.Spawn(0, 2, "python3")
      .Delivered(300'000, SIGINT, 2, Party::Tty(), Outcome::kHandled)
      .Delivered(305'000, SIGINT, 2, Party::Process(2), Outcome::kKilled)
      .Killed(305'100, 2, SIGINT)
      .End(400'000);
  Verdict v = JudgeOne(DriverConductor(), tl.t, ExitExp("driver", 0));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "it re-raised the SIGINT the terminal sent it at 0.300s: an unhandled "
                  "KeyboardInterrupt"))
      << Show(v);
  EXPECT_TRUE(Has(v.explanation, "does it ignore or handle SIGINT?"));
}

TEST(ExpectExitTest, FailsWhenTheLabHadToKillIt) {
  Tl tl;
  tl.Spawn(0, 2).KilledByLab(5'000'000, 2, "timeout").Killed(5'000'100, 2, SIGKILL).End(5'001'000);
  Verdict v = JudgeOne(DriverConductor(), tl.t, ExitExp("driver", 0));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "was still running when the lab killed it at 5.000s (timeout)"))
      << Show(v);
}

TEST(ExpectExitTest, AProcessStoppedByCtrlZIsNotStillRunning) {
  // Ctrl-Z stopped the driver (no SIGTSTP handler); it stayed stopped until
  // the lab's timeout killed it. The cause a student needs is the SIGTSTP.
  Tl tl;
  tl.Spawn(0, 2, "python3")
      .SentGroup(300'000, SIGTSTP, Party::Tty(), 2)
      .Delivered(300'100, SIGTSTP, 2, Party::Tty(), Outcome::kStopped);
  Event stop;
  stop.t_us = 300'200;
  stop.type = EventType::kStop;
  stop.pid = 2;
  stop.sig = SIGTSTP;
  tl.t.Add(stop);
  tl.KilledByLab(5'000'000, 2, "timeout").Killed(5'000'100, 2, SIGKILL).End(5'001'000);
  Verdict v = JudgeOne(DriverConductor(), tl.t, ExitExp("driver", 0));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "stopped by SIGTSTP from the terminal at 0.300s"));
}

TEST(ExpectExitTest, FailsWhenItNeverEnded) {
  Tl tl;
  tl.Spawn(0, 2).End(1'000'000);
  Verdict v = JudgeOne(DriverConductor(), tl.t, ExitExp("driver", 0));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "driver (pid 2) never ended")) << Show(v);
}

TEST(ExpectExitTest, FailsForAProcessThatNeverExisted) {
  Tl tl;
  tl.Spawn(0, 2).Actor(0, 2, "parent").Exit(100'000, 2, 0).End(200'000);
  Verdict v = JudgeOne(Actors({"parent", "child"}), tl.t, ExitExp("child", 0));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'child' (no actor ever forked it)"))
      << Show(v);
  EXPECT_TRUE(Has(v.explanation, "processes that did exist: parent"));
}

TEST(ExpectExitTest, EveryProcessOfARoleMustPass) {
  Scenario s = DriverConductor();
  s.roles.push_back(ChildRole("worker", "driver"));
  Tl tl;
  tl.Spawn(0, 2).Fork(10, 3, 2).Fork(20, 4, 2).Exit(100, 3, 0).Exit(200, 4, 1).Exit(300, 2, 0).End(
      400);
  Verdict v = JudgeOne(s, tl.t, ExitExp("worker", 0));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "worker (pid 4) exited with code 1")) << Show(v);
  tl.t = Tl().Spawn(0, 2).Fork(10, 3, 2).Fork(20, 4, 2).Exit(100, 3, 0).Exit(200, 4, 0).End(400).t;
  v = JudgeOne(s, tl.t, ExitExp("worker", 0));
  EXPECT_TRUE(v.passed) << Show(v);
  // Both are named: pid 3 is conductor (the first child), pid 4 only worker.
  EXPECT_TRUE(Has(v.explanation, "conductor (pid 3) exited with code 0")) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "; worker (pid 4) exited with code 0"));
}

// killed -----------------------------------------------------------------

Expectation KilledExp(const std::string& process, int sig,
                      std::optional<bool> core = std::nullopt) {
  Expectation e = Exp(K::kKilled, process);
  e.sig = sig;
  e.core = core;
  return e;
}

Tl KilledRun(int sig, Party from, bool core = false) {
  Tl tl;
  tl.Spawn(0, 2).Actor(0, 2, "parent").Fork(1'000, 3, 2).Actor(1'000, 3, "child");
  if (from.kind == Party::kProcess) tl.Sent(200'000, sig, from, 3);
  tl.Delivered(200'100, sig, 3, from, Outcome::kKilled).Killed(200'200, 3, sig, core);
  return std::move(tl.Reap(200'300, 3, Party::Process(2)).Exit(300'000, 2, 0).End(400'000));
}

TEST(ExpectKilledTest, PassesAndNamesTheSender) {
  Verdict v = JudgeOne(Actors({"parent", "child"}), KilledRun(SIGTERM, Party::Process(2)).t,
                       KilledExp("child", SIGTERM));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(
      Has(v.explanation, "child (pid 3) was killed by SIGTERM from parent (pid 2) at 0.200s"));
}

TEST(ExpectKilledTest, FailsWhenItExitedNormally) {
  Verdict v = JudgeOne(Actors({"parent", "child"}), ZombieRun(0).t, KilledExp("child", SIGTERM));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "child (pid 3) exited with code 0 at 0.050s")) << Show(v);
}

TEST(ExpectKilledTest, FailsOnAnotherSignal) {
  Verdict v = JudgeOne(Actors({"parent", "child"}), KilledRun(SIGTERM, Party::Process(2)).t,
                       KilledExp("child", SIGKILL));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(
      Has(v.explanation, "was killed by SIGTERM from parent (pid 2) at 0.200s, not by SIGKILL"))
      << Show(v);
}

TEST(ExpectKilledTest, CoreDumpBothWays) {
  const Scenario s = Actors({"parent", "child"});
  const Tl dumped = KilledRun(SIGSEGV, Party::Kernel(), true);
  Verdict v = JudgeOne(s, dumped.t, KilledExp("child", SIGSEGV, true));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "was killed by SIGSEGV from the kernel (core dumped) at 0.200s"));
  v = JudgeOne(s, dumped.t, KilledExp("child", SIGSEGV, false));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, ", with a core dump")) << Show(v);
  v = JudgeOne(s, KilledRun(SIGSEGV, Party::Kernel(), false).t, KilledExp("child", SIGSEGV, true));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, ", without a core dump")) << Show(v);
}

// A core the lab forbade (a dump would have replaced a file of the user's)
// is missing with the lab's reason. Negative controls: no reason without the
// lab's `no_core` event, and none where no core was expected.
TEST(ExpectKilledTest, AForbiddenCoreDumpSaysWhy) {
  const Scenario s = Actors({"parent", "child"});
  const std::string why =
      "the lab let no process of this run dump a core: core was already in the program's folder "
      "(/w), and a dump would replace it; rename it or run the program in another folder";
  Tl tl;
  tl.Spawn(0, 2).Actor(0, 2, "parent").Limit(500, 0, "no_core", why);
  tl.Fork(1'000, 3, 2).Actor(1'000, 3, "child");
  tl.Delivered(200'100, SIGABRT, 3, Party::Process(3), Outcome::kKilled)
      .Killed(200'200, 3, SIGABRT);
  tl.Reap(200'300, 3, Party::Process(2)).Exit(300'000, 2, 0).End(400'000);
  Verdict v = JudgeOne(s, tl.t, KilledExp("child", SIGABRT, true));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, ", without a core dump: " + why)) << Show(v);
  v = JudgeOne(s, KilledRun(SIGABRT, Party::Process(3)).t, KilledExp("child", SIGABRT, true));
  EXPECT_FALSE(v.passed);
  EXPECT_FALSE(Has(v.explanation, "the lab let no")) << Show(v);
  v = JudgeOne(s, tl.t, KilledExp("child", SIGABRT, false));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_FALSE(Has(v.explanation, "the lab let no")) << Show(v);
}

TEST(ExpectKilledTest, SaysWhenItKilledItself) {
  Verdict v = JudgeOne(Actors({"parent", "child"}), KilledRun(SIGABRT, Party::Process(3)).t,
                       KilledExp("child", SIGABRT));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "was killed by SIGABRT it sent itself at 0.200s"));
}

TEST(ExpectKilledTest, TheLabsTimeoutKillIsNotTheProgramsKill) {
  // Nothing in the program killed `child`: it ran until the lab's timeout.
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Fork(1'000, 3, 2)
      .Actor(1'000, 3, "child")
      .KilledByLab(5'000'000, 3, "timeout")
      .Delivered(5'000'050, SIGKILL, 3, Party::Lab(), Outcome::kKilled)
      .Killed(5'000'100, 3, SIGKILL)
      .End(5'001'000);
  Verdict v = JudgeOne(Actors({"parent", "child"}), tl.t, KilledExp("child", 0));
  EXPECT_TRUE(Has(v.explanation, "was still running when the lab killed it at 5.000s (timeout)"))
      << Show(v);
  EXPECT_FALSE(v.passed);
}

}  // namespace
}  // namespace proclab::expect_test
