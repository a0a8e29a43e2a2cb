// The supervisor on scripted stop sequences (supervisor_test_fixture.h):
// every stop gets exactly one restart, the right one, and the events it means.
#include "runner/lab/supervisor.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "runner/lab/output_capture.h"
#include "runner/lab/supervisor_test_fixture.h"
#include "runner/os/hypercall.h"

namespace proclab::testing {
namespace {

uint64_t Bit(int sig) { return uint64_t{1} << (sig - 1); }

TEST_F(SupervisorTest, ForkVforkAndCloneEachAnnounceOnceAndContinueTheParent) {
  Start();
  EXPECT_EQ(Handle(Seccomp(2, SYS_fork)), Restart::Cont());
  ops_.Live(3, 2);
  EXPECT_EQ(Handle(ForkEvent(2, os::ForkKind::kFork, 3)), Restart::Cont());
  EXPECT_EQ(Handle(EventStop(3, SIGTRAP)), Restart::Cont());  // its auto-attach stop

  EXPECT_EQ(Handle(Seccomp(2, SYS_vfork)), Restart::Cont());
  ops_.Live(4, 2);
  EXPECT_EQ(Handle(ForkEvent(2, os::ForkKind::kVfork, 4)), Restart::Cont());

  EXPECT_EQ(Handle(Seccomp(2, SYS_clone, {CLONE_VM | CLONE_THREAD | CLONE_SIGHAND})),
            Restart::Cont());
  ops_.Live(5, 2, 2, /*tgid=*/2);
  EXPECT_EQ(Handle(ForkEvent(2, os::ForkKind::kClone, 5)), Restart::Cont());

  auto forks = Of(EventType::kFork);
  ASSERT_EQ(forks.size(), 3u);
  EXPECT_EQ(forks[0]->pid, 3);
  EXPECT_EQ(forks[0]->via, "fork");
  EXPECT_FALSE(forks[0]->thread);
  EXPECT_EQ(forks[1]->pid, 4);
  EXPECT_EQ(forks[1]->via, "vfork");
  EXPECT_EQ(forks[2]->pid, 5);
  EXPECT_TRUE(forks[2]->thread);
  EXPECT_EQ(forks[2]->parent, 2);
  EXPECT_EQ(sup_->Running().size(), 3u);  // 2, 3, 4: a thread is no process
}

TEST_F(SupervisorTest, AChildsFirstStopMayComeBeforeItsParentsForkEvent) {
  Start();
  Handle(Seccomp(2, SYS_fork));
  ops_.Live(3, 2);
  EXPECT_EQ(Handle(EventStop(3, SIGTRAP)), Restart::Cont());
  EXPECT_EQ(Handle(ForkEvent(2, os::ForkKind::kFork, 3)), Restart::Cont());
  ASSERT_EQ(Of(EventType::kFork).size(), 1u) << "announced by whichever came first, once";
  EXPECT_EQ(Of(EventType::kFork)[0]->parent, 2);
}

TEST_F(SupervisorTest, AForkAtTheCapIsRefusedWithEagainAndALimitEvent) {
  Start(true, /*max_processes=*/1);
  EXPECT_EQ(Handle(Seccomp(2, SYS_fork)), Restart::Fail(EAGAIN));
  ASSERT_EQ(Of(EventType::kLimit).size(), 1u);
  EXPECT_EQ(Of(EventType::kLimit)[0]->kind, "processes");
  EXPECT_EQ(sup_->forks_refused(), 1);
  // Negative control: a new thread is no process and is not refused.
  EXPECT_EQ(Handle(Seccomp(2, SYS_clone, {CLONE_VM | CLONE_THREAD})), Restart::Cont());
}

// Threads refused at the task cap are counted as thread creations, not as
// forks, so the run's summary can name what was refused. Negative control: a
// fork at the same cap counts as a fork.
TEST_F(SupervisorTest, AThreadRefusedAtTheTaskCapIsNoRefusedFork) {
  max_tasks_ = 1;
  Start();  // the main process alone is at the cap
  EXPECT_EQ(Handle(Seccomp(2, SYS_clone, {CLONE_VM | CLONE_THREAD})), Restart::Fail(EAGAIN));
  EXPECT_EQ(Handle(Seccomp(2, SYS_clone, {CLONE_VM | CLONE_THREAD})), Restart::Fail(EAGAIN));
  ASSERT_EQ(Of(EventType::kLimit).size(), 1u);
  EXPECT_EQ(Of(EventType::kLimit)[0]->kind, "tasks");
  EXPECT_NE(Of(EventType::kLimit)[0]->detail.find("thread creation refused"), std::string::npos);
  EXPECT_EQ(sup_->threads_refused(), 2);
  EXPECT_EQ(sup_->forks_refused(), 0);
  EXPECT_EQ(Handle(Seccomp(2, SYS_fork)), Restart::Fail(EAGAIN));
  EXPECT_EQ(sup_->forks_refused(), 1);
  EXPECT_EQ(sup_->threads_refused(), 2);
}

// The caps are counted from indexes kept as tasks come and go
// (supervisor_index.cc), not by scanning them: a clone let through holds a
// slot until its child appears or the clone fails, a zombie until its reap, a
// thread until its exit. Each refusal below has its allowed twin.
TEST_F(SupervisorTest, TheCapsCountPendingClonesZombiesAndThreadsUntilTheyGo) {
  max_tasks_ = 5;
  Start(true, /*max_processes=*/3);  // main: 2
  Handle(Seccomp(2, SYS_fork));
  ops_.Live(3, 2);
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));  // processes 2, 3
  Handle(Seccomp(2, SYS_clone, {CLONE_VM | CLONE_THREAD}));
  ops_.Live(5, 2, 2, /*tgid=*/2);
  Handle(ForkEvent(2, os::ForkKind::kClone, 5));  // tasks 2, 3, 5

  EXPECT_EQ(Handle(Seccomp(2, SYS_fork)), Restart::Cont()) << "2 processes + 0 pending < 3";
  EXPECT_EQ(Handle(Seccomp(3, SYS_fork)), Restart::Fail(EAGAIN)) << "2's fork is pending";
  EXPECT_EQ(Handle(Seccomp(2, SYS_getpid)), Restart::Cont());  // its fork failed after all
  EXPECT_EQ(Handle(Seccomp(3, SYS_fork)), Restart::Cont()) << "no fork pending any more";
  ops_.Live(6, 3);
  Handle(ForkEvent(3, os::ForkKind::kFork, 6));  // processes 2, 3, 6; tasks 4
  EXPECT_EQ(sup_->forks_refused(), 1);

  Handle(Exited(6, 0, 3));  // a zombie still holds its pid
  EXPECT_EQ(Handle(Seccomp(2, SYS_fork)), Restart::Fail(EAGAIN));
  Handle(Seccomp(3, SYS_wait4, {static_cast<uint64_t>(-1)}));
  ops_.gone.insert(6);
  Handle(SyscallExit(3, 6));
  ASSERT_EQ(Of(EventType::kReap).size(), 1u);
  EXPECT_EQ(Handle(Seccomp(2, SYS_fork)), Restart::Cont()) << "reaped: its slot is free";
  ops_.Live(7, 2);
  Handle(ForkEvent(2, os::ForkKind::kFork, 7));  // tasks 2, 3, 5, 7

  EXPECT_EQ(Handle(Seccomp(3, SYS_clone, {CLONE_VM | CLONE_THREAD})), Restart::Cont());
  EXPECT_EQ(Handle(Seccomp(7, SYS_clone, {CLONE_VM | CLONE_THREAD})), Restart::Fail(EAGAIN))
      << "4 tasks and 3's thread pending: the task cap";
  Handle(Seccomp(3, SYS_getpid));  // 3's thread creation failed
  Handle(Exited(5, 0, 2));         // and 2's thread ended
  EXPECT_EQ(Handle(Seccomp(7, SYS_clone, {CLONE_VM | CLONE_THREAD})), Restart::Cont());
  EXPECT_EQ(sup_->threads_refused(), 1);
}

TEST_F(SupervisorTest, AGroupStopIsKeptRealWithListenUntilSigcont) {
  Start();
  EXPECT_EQ(Handle(Delivery(2, SIGSTOP, SI_USER, 0)), Restart::Cont(SIGSTOP));
  EXPECT_EQ(Handle(EventStop(2, SIGSTOP)), Restart::Listen());
  ASSERT_EQ(Of(EventType::kStop).size(), 1u);
  EXPECT_EQ(Handle(Delivery(2, SIGCONT, SI_USER, 0)), Restart::Cont(SIGCONT));
  ASSERT_EQ(Of(EventType::kContinue).size(), 1u);
  // The listened stop ends with a PTRACE_EVENT_STOP of SIGTRAP: plain CONT.
  EXPECT_EQ(Handle(EventStop(2, SIGTRAP)), Restart::Cont());
  EXPECT_EQ(Of(EventType::kContinue).size(), 1u) << "continued once, not twice";
}

TEST_F(SupervisorTest, ASignalIsReinjectedWithTheOutcomeOfTheReceiversDisposition) {
  Start();
  ops_.Live(3, 2);
  Handle(Seccomp(2, SYS_fork));
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));
  ops_.status[2].sig_caught = Bit(SIGUSR1);
  ops_.status[2].sig_ignored = Bit(SIGUSR2);
  EXPECT_EQ(Handle(Delivery(2, SIGUSR1, SI_USER, 3)), Restart::Cont(SIGUSR1));
  EXPECT_EQ(Handle(Delivery(2, SIGUSR2, SI_USER, 3)), Restart::Cont(SIGUSR2));
  auto got = Of(EventType::kSignalDelivered);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0]->outcome, Outcome::kHandled);
  EXPECT_EQ(got[0]->from, Party::Process(3));
  EXPECT_EQ(got[1]->outcome, Outcome::kIgnored);
}

// The kernel's SIGXFSZ for a write past RLIMIT_FSIZE comes as SI_USER from
// the writer itself; ignored, it kills nothing, yet the limit is named once.
TEST_F(SupervisorTest, AnIgnoredSigxfszFromAWritePastTheLimitNamesTheLimitOnce) {
  file_size_limit_ = 1 << 20;
  Start();
  ops_.status[2].sig_ignored = Bit(SIGXFSZ);
  EXPECT_EQ(Handle(Delivery(2, SIGXFSZ, SI_USER, 2)), Restart::Cont(SIGXFSZ));
  EXPECT_EQ(Handle(Delivery(2, SIGXFSZ, SI_USER, 2)), Restart::Cont(SIGXFSZ));
  auto limits = Of(EventType::kLimit);
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0]->kind, "file_size");
  EXPECT_EQ(limits[0]->detail,
            "wrote past its 1MiB file size limit: the write failed with EFBIG (SIGXFSZ ignored)");
}

TEST_F(SupervisorTest, ASigxfszSentWithKillIsNoFileSizeLimit) {
  // Negative control: the same signal from the process's own kill() call.
  file_size_limit_ = 1 << 20;
  Start();
  ops_.status[2].sig_ignored = Bit(SIGXFSZ);
  Handle(Seccomp(2, SYS_kill, {2, SIGXFSZ}));
  EXPECT_EQ(Handle(Delivery(2, SIGXFSZ, SI_USER, 2)), Restart::Cont(SIGXFSZ));
  EXPECT_TRUE(Of(EventType::kLimit).empty());
}

// The race of the known pause()/waitpid() hang: wait4 is interrupted by an
// ignored SIGQUIT (shown to the tracer only), the kernel rewinds it, and a
// handled SIGUSR2 lands after. Its delivery asks for the rewind to be undone
// with the code the call's exit showed.
TEST_F(SupervisorTest, AHandledSignalAfterAnIgnoredOneUndoesTheRestartOfTheInterruptedCall) {
  Start();
  ops_.status[2].sig_ignored = Bit(SIGQUIT);
  ops_.status[2].sig_caught = Bit(SIGUSR2);
  Handle(Seccomp(2, SYS_wait4, {3, 0x7ff0, 0}));
  Handle(SyscallExit(2, -512));  // -ERESTARTSYS
  Handle(Delivery(2, SIGQUIT, SI_KERNEL, 0));
  EXPECT_TRUE(ops_.undo_asked.empty()) << "an ignored signal runs no handler";
  Handle(Delivery(2, SIGUSR2, SI_USER, 3));
  ASSERT_EQ(ops_.undo_asked.size(), 1u);
  EXPECT_EQ(ops_.undo_asked[0], std::make_pair(pid_t{2}, -512L));
  // Negative control: a handled signal after the call started again knows
  // of no interrupted call (the undo finds nothing rewound and guesses).
  Handle(Seccomp(2, SYS_wait4, {3, 0x7ff0, 0}));
  Handle(Delivery(2, SIGUSR2, SI_USER, 3));
  ASSERT_EQ(ops_.undo_asked.size(), 2u);
  EXPECT_EQ(ops_.undo_asked[1].second, 0);
}

TEST_F(SupervisorTest, KillMinusOneWithoutANamespaceIsSuppressedAndCarriedOutByTheLab) {
  Start(/*pid_namespace=*/false);
  ops_.Live(3, 2);
  Handle(Seccomp(2, SYS_fork));
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));
  // kill(-1, SIGTERM) would reach everything the uid may signal: the lab
  // skips the syscall and signals its own processes instead.
  EXPECT_EQ(Handle(Seccomp(2, SYS_kill, {static_cast<uint64_t>(-1), SIGTERM})), Restart::Skip(0));
  ASSERT_EQ(ops_.signals_sent.size(), 1u);
  EXPECT_EQ(ops_.signals_sent[0], std::make_pair(pid_t{3}, SIGTERM));
  // The delivery comes from the lab's pid; it is recorded as the sender's.
  EXPECT_EQ(Handle(Delivery(3, SIGTERM, SI_USER, 1)), Restart::Cont(SIGTERM));
  auto got = Of(EventType::kSignalDelivered);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->from, Party::Process(2));
}

TEST_F(SupervisorTest, KillMinusOneInANamespaceGoesToTheKernel) {
  Start(/*pid_namespace=*/true);
  EXPECT_EQ(Handle(Seccomp(2, SYS_kill, {static_cast<uint64_t>(-1), SIGTERM})),
            Restart::ToSyscallExit());
  EXPECT_TRUE(ops_.signals_sent.empty());
}

TEST_F(SupervisorTest, AKillWhoseExitSaysEsrchIsRecordedAsFailed) {
  Start();
  EXPECT_EQ(Handle(Seccomp(2, SYS_kill, {9, SIGUSR1})), Restart::ToSyscallExit());
  EXPECT_TRUE(Of(EventType::kSignalSent).empty()) << "recorded at the exit, with its result";
  EXPECT_EQ(Handle(SyscallExit(2, -ESRCH)), Restart::Cont());
  auto sent = Of(EventType::kSignalSent);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]->to, 9);
  EXPECT_EQ(sent[0]->error, "ESRCH");
  // Negative control: a kill that worked has no error.
  Handle(Seccomp(2, SYS_kill, {2, SIGUSR1}));
  Handle(SyscallExit(2, 0));
  ASSERT_EQ(Of(EventType::kSignalSent).size(), 2u);
  EXPECT_EQ(Of(EventType::kSignalSent)[1]->error, "");
}

TEST_F(SupervisorTest, AnExecFromANonLeaderThreadKeepsThePidAndForgetsTheOldLeader) {
  Start();
  Handle(Seccomp(2, SYS_clone, {CLONE_VM | CLONE_THREAD}));
  ops_.Live(5, 2, 2, /*tgid=*/2);
  Handle(ForkEvent(2, os::ForkKind::kClone, 5));
  // Thread 5 execs: the kernel gives it the leader's tid 2; the event
  // arrives at tid 2 with the former tid in its message.
  TraceStop exec = Stop(2, StopKind::kExecEvent);
  exec.msg = 5;
  EXPECT_EQ(Handle(exec), Restart::Cont());
  auto execs = Of(EventType::kExec);
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0]->pid, 2);
  // Thread 5 no longer exists: a stop of tid 5 is a stranger's first stop.
  ops_.gone.insert(5);
  EXPECT_EQ(sup_->Running(), std::vector<pid_t>{2});
}

TEST_F(SupervisorTest, AnExitIsRecordedAndTheReapGoesToTheWaiter) {
  Start();
  ops_.Live(3, 2);
  Handle(Seccomp(2, SYS_fork));
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));
  // Its exit is final: nothing to restart.
  EXPECT_EQ(Handle(Exited(3, 7, 2)), Restart::None());
  auto exits = Of(EventType::kExit);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0]->code, 7);
  EXPECT_TRUE(Of(EventType::kReap).empty()) << "a zombie until its parent waits";
  EXPECT_EQ(Handle(Seccomp(2, SYS_wait4, {static_cast<uint64_t>(-1)})), Restart::ToSyscallExit());
  ops_.gone.insert(3);
  EXPECT_EQ(Handle(SyscallExit(2, 3)), Restart::Cont());
  auto reaps = Of(EventType::kReap);
  ASSERT_EQ(reaps.size(), 1u);
  EXPECT_EQ(reaps[0]->pid, 3);
  EXPECT_EQ(reaps[0]->by, Party::Process(2));
}

// ci/soak found it: the waiter is killed inside wait4 after the kernel
// reaped the child but before the call returned (SIGKILL, or another
// thread's exit_group): no syscall-exit stop comes. The reap is the dead
// parent's, not lost and not the kernel's.
TEST_F(SupervisorTest, AWaiterKilledInsideWaitStillReapedItsChild) {
  for (bool seen_gone : {false, true}) {
    SCOPED_TRACE(seen_gone ? "gone when its exit was seen" : "gone later");
    events_.clear();
    Start();
    ops_.gone.clear();
    ops_.Live(3, 2);
    Handle(Seccomp(2, SYS_fork));
    Handle(ForkEvent(2, os::ForkKind::kFork, 3));
    Handle(Seccomp(2, SYS_wait4, {static_cast<uint64_t>(-1)}));
    if (seen_gone) ops_.gone.insert(3);
    Handle(Exited(3, 0, 2));
    ops_.gone.insert(3);
    TraceStop killed = Stop(2, StopKind::kKilled);
    killed.sig = SIGKILL;
    killed.ppid = 1;
    Handle(killed);
    auto reaps = Of(EventType::kReap);
    ASSERT_GE(reaps.size(), 1u);
    EXPECT_EQ(reaps[0]->pid, 3);
    EXPECT_EQ(reaps[0]->by, Party::Process(2));
  }
  // Negative control: a child still alive when its parent dies is handed on.
  events_.clear();
  Start();
  ops_.gone.clear();
  ops_.Live(3, 2);
  Handle(Seccomp(2, SYS_fork));
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));
  ops_.Live(3, 1);
  TraceStop killed = Stop(2, StopKind::kKilled);
  killed.sig = SIGKILL;
  killed.ppid = 1;
  Handle(killed);
  EXPECT_EQ(Of(EventType::kReparent).size(), 1u);
  for (const Event* r : Of(EventType::kReap)) EXPECT_NE(r->pid, 3);
}

// CI under ASan saw it: the tracer read the conductor's parent (the driver)
// from /proc, the driver exited, the lab adopted the zombie, and the
// tracer's wait was then the adopter's reap. Not the kernel's: the driver
// never ignored SIGCHLD. Controls: a living parent that ignores SIGCHLD, and
// a dying one that did, leave the reap to the kernel.
TEST_F(SupervisorTest, AZombieAdoptedBeforeOurWaitIsTheLabsReap) {
  enum class Parent { kDiedBeforeOurWait, kIgnoresSigchld, kDiedIgnoringSigchld };
  for (Parent parent :
       {Parent::kDiedBeforeOurWait, Parent::kIgnoresSigchld, Parent::kDiedIgnoringSigchld}) {
    SCOPED_TRACE(static_cast<int>(parent));
    events_.clear();
    ops_.gone.clear();
    Start();
    ops_.Live(3, 2);
    Handle(Seccomp(2, SYS_fork));
    Handle(ForkEvent(2, os::ForkKind::kFork, 3));
    if (parent != Parent::kDiedBeforeOurWait)
      ops_.status[2].sig_ignored = uint64_t{1} << (SIGCHLD - 1);
    if (parent != Parent::kIgnoresSigchld) ops_.stat[2].state = 'Z';
    ops_.gone.insert(3);
    Handle(Exited(3, 0, /*ppid read before the wait=*/2));
    auto reaps = Of(EventType::kReap);
    ASSERT_EQ(reaps.size(), 1u);
    if (parent == Parent::kDiedBeforeOurWait) {
      EXPECT_EQ(reaps[0]->by, Party::Process(1));
      auto adoptions = Of(EventType::kReparent);
      ASSERT_EQ(adoptions.size(), 1u);
      EXPECT_EQ(adoptions[0]->new_parent, 1);
    } else {
      EXPECT_EQ(reaps[0]->by, Party::Kernel());
      EXPECT_TRUE(Of(EventType::kReparent).empty());
    }
    ops_.status[2].sig_ignored = 0;
    ops_.stat[2].state = 'S';
  }
}

// A zombie whose parent dies passes to the lab, whose own wait may release
// it with no stop of ours: the end-of-run sweep records the adoption and the
// lab's reap, so no exited process is left "never reaped".
TEST_F(SupervisorTest, TheSweepGivesAZombieLeftByItsParentToTheLab) {
  Start();
  ops_.Live(3, 2);
  Handle(Seccomp(2, SYS_fork));
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));
  Handle(Exited(3, 0, 2));
  TraceStop killed = Stop(2, StopKind::kKilled);
  killed.sig = SIGKILL;
  killed.ppid = 1;
  Handle(killed);  // 3 still reads as 2's: the kernel had not moved it yet
  sup_->SweepGone();
  for (const Event* r : Of(EventType::kReap)) EXPECT_NE(r->pid, 3) << "not gone yet";
  ops_.gone.insert(3);
  sup_->SweepGone();
  bool reaped = false;
  for (const Event* r : Of(EventType::kReap))
    if (r->pid == 3) reaped = r->by == Party::Process(1);
  EXPECT_TRUE(reaped);
  EXPECT_EQ(Of(EventType::kReparent).size(), 1u);
}

TEST_F(SupervisorTest, AnOrphansExitIsReapedByTheLab) {
  Start();
  ops_.Live(3, 2);
  Handle(Seccomp(2, SYS_fork));
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));
  EXPECT_EQ(Handle(Exited(3, 0, /*real parent now=*/1)), Restart::None());
  ASSERT_EQ(Of(EventType::kReparent).size(), 1u);
  ASSERT_EQ(Of(EventType::kReap).size(), 1u);
  EXPECT_EQ(Of(EventType::kReap)[0]->by, Party::Process(1));
}

TEST_F(SupervisorTest, UntracedClonesAreRefused) {
  Start();
  EXPECT_EQ(Handle(Seccomp(2, SYS_clone, {CLONE_UNTRACED | SIGCHLD})), Restart::Fail(EPERM));
}

TEST_F(SupervisorTest, ACheckpointHypercallHoldsItsCallerUntilTaken) {
  struct Calls : HypercallHandler {
    std::vector<std::pair<pid_t, std::string>> checkpoints;
    long Resolve(const std::string&) override { return -ESRCH; }
    void Checkpoint(pid_t tid, const std::string& name) override {
      checkpoints.emplace_back(tid, name);
    }
    long Measure(pid_t, const std::string&) override { return 0; }
  } calls;
  Start(true, 256, /*actor=*/"main");
  sup_->SetHypercallHandler(&calls);
  const uint64_t checkpoint = static_cast<uint64_t>(os::Hypercall::kCheckpoint);
  EXPECT_EQ(Handle(Seccomp(2, SYS_prctl, {os::kHypercallOption, checkpoint})), Restart::Hold());
  ASSERT_EQ(calls.checkpoints.size(), 1u);
  EXPECT_TRUE(ops_.restarts.empty()) << "held in its stop while the snapshot is taken";
  sup_->FinishCheckpoint(2);
  ASSERT_EQ(ops_.restarts.size(), 1u);
  EXPECT_EQ(ops_.restarts[0].second, Restart::Skip(0));
}

// lab.measure: the value is the caller's process's (its tgid, whatever
// thread asked), answered at once, and a malformed request fails the call.
TEST_F(SupervisorTest, AMeasureHypercallIsAnsweredForTheCallersProcess) {
  struct Calls : HypercallHandler {
    std::vector<std::pair<pid_t, std::string>> values;
    long Resolve(const std::string&) override { return -ESRCH; }
    void Checkpoint(pid_t, const std::string&) override {}
    long Measure(pid_t pid, const std::string& text) override {
      values.emplace_back(pid, text);
      return text == "bad" ? -EINVAL : 0;
    }
  } calls;
  Start(true, 256, /*actor=*/"main");
  sup_->SetHypercallHandler(&calls);
  ops_.memory = "lock_wait 0.25";
  const uint64_t measure = static_cast<uint64_t>(os::Hypercall::kMeasure);
  EXPECT_EQ(Handle(Seccomp(2, SYS_prctl, {os::kHypercallOption, measure, 0x1000, 14})),
            Restart::Skip(0));
  ASSERT_EQ(calls.values.size(), 1u);
  EXPECT_EQ(calls.values[0], std::make_pair(pid_t{2}, std::string("lock_wait 0.25")));
  ops_.memory = "bad";
  EXPECT_EQ(Handle(Seccomp(2, SYS_prctl, {os::kHypercallOption, measure, 0x1000, 3})),
            Restart::Skip(-EINVAL));
}

TEST_F(SupervisorTest, AProgramsPrctlIsNoHypercall) {
  struct Calls : HypercallHandler {
    int calls = 0;
    long Resolve(const std::string&) override { return ++calls, -ESRCH; }
    void Checkpoint(pid_t, const std::string&) override { ++calls; }
    long Measure(pid_t, const std::string&) override { return ++calls, 0; }
  } calls;
  Start();  // a program, not an actor
  sup_->SetHypercallHandler(&calls);
  const uint64_t checkpoint = static_cast<uint64_t>(os::Hypercall::kCheckpoint);
  EXPECT_EQ(Handle(Seccomp(2, SYS_prctl, {os::kHypercallOption, checkpoint})), Restart::Cont());
  EXPECT_EQ(calls.calls, 0);
}

// The lab signals a process through its pidfd; once the process is reaped
// its pid is nobody the lab may signal, even when a new process takes it.
TEST_F(SupervisorTest, ALabSignalNeverReachesAProcessThatReusedThePid) {
  Start();
  ops_.Live(3, 2);
  Handle(Seccomp(2, SYS_fork));
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));
  ASSERT_TRUE(sup_->Signal(3, SIGUSR1).ok());
  ASSERT_EQ(ops_.signals_sent.size(), 1u);
  Handle(Exited(3, 0, 2));
  Handle(Seccomp(2, SYS_wait4, {static_cast<uint64_t>(-1)}));
  ops_.gone.insert(3);
  Handle(SyscallExit(2, 3));
  ASSERT_EQ(Of(EventType::kReap).size(), 1u);
  EXPECT_EQ(ops_.closed.size(), 1u) << "the reaped process's pidfd is closed";
  auto again = sup_->Signal(3, SIGUSR1);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again) << "reaped: ESRCH, and nothing sent";
  EXPECT_EQ(ops_.signals_sent.size(), 1u);
  // A new process with pid 3: it gets its own pidfd, and only it is signalled.
  ops_.gone.erase(3);
  Handle(Seccomp(2, SYS_fork));
  Handle(ForkEvent(2, os::ForkKind::kFork, 3));
  ASSERT_TRUE(sup_->Signal(3, SIGTERM).ok());
  ASSERT_EQ(ops_.signals_sent.size(), 2u);
  EXPECT_EQ(ops_.pidfds.size(), 2u);  // the first 3, the second 3: each when first signalled
}

}  // namespace
}  // namespace proclab::testing
