#include "runner/os/trace_stop.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

namespace proclab::os {
namespace {

// Wait statuses built the way the kernel builds them (kernel/exit.c,
// kernel/signal.c, kernel/ptrace.c), so the tests do not depend on the macros
// under test.
int Exited(int code) { return (code & 0xff) << 8; }
int Killed(int sig, bool core) { return sig | (core ? 0x80 : 0); }
int Stopped(int sig) { return (sig << 8) | 0x7f; }
int PtraceEvent(int event, int sig = SIGTRAP) { return ((sig | (event << 8)) << 8) | 0x7f; }
int SyscallStop() { return ((SIGTRAP | 0x80) << 8) | 0x7f; }
constexpr int kContinued = 0xffff;

TEST(ClassifyStatus, ExitedCarriesCodeAndTid) {
  TraceStop s = ClassifyStatus(42, Exited(7));
  EXPECT_EQ(s.tid, 42);
  EXPECT_EQ(s.kind, StopKind::kExited);
  EXPECT_EQ(s.code, 7);
  EXPECT_EQ(s.sig, 0);
  EXPECT_FALSE(s.core);

  EXPECT_EQ(ClassifyStatus(1, Exited(0)).code, 0);
  EXPECT_EQ(ClassifyStatus(1, Exited(255)).code, 255);
  // Negative control: a death by signal is not an exit.
  EXPECT_NE(ClassifyStatus(1, Killed(SIGTERM, false)).kind, StopKind::kExited);
}

TEST(ClassifyStatus, KilledWithAndWithoutCore) {
  TraceStop s = ClassifyStatus(5, Killed(SIGTERM, false));
  EXPECT_EQ(s.kind, StopKind::kKilled);
  EXPECT_EQ(s.sig, SIGTERM);
  EXPECT_FALSE(s.core);
  EXPECT_EQ(s.code, 0);

  TraceStop c = ClassifyStatus(5, Killed(SIGSEGV, true));
  EXPECT_EQ(c.kind, StopKind::kKilled);
  EXPECT_EQ(c.sig, SIGSEGV);
  EXPECT_TRUE(c.core);

  EXPECT_EQ(ClassifyStatus(5, Killed(SIGKILL, false)).sig, SIGKILL);
  EXPECT_EQ(ClassifyStatus(5, Killed(SIGRTMIN + 3, false)).sig, SIGRTMIN + 3);
}

TEST(ClassifyStatus, PlainStopIsSignalDelivery) {
  for (int sig : {SIGUSR1, SIGSTOP, SIGTSTP, SIGCHLD, SIGTRAP, SIGSEGV}) {
    SCOPED_TRACE(sig);
    TraceStop s = ClassifyStatus(9, Stopped(sig));
    EXPECT_EQ(s.kind, StopKind::kSignalDelivery);
    EXPECT_EQ(s.sig, sig);
    EXPECT_EQ(s.tid, 9);
  }
}

TEST(ClassifyStatus, ForkEventsCarryTheirKind) {
  struct Case {
    int event;
    ForkKind kind;
  } cases[] = {{PTRACE_EVENT_FORK, ForkKind::kFork},
               {PTRACE_EVENT_VFORK, ForkKind::kVfork},
               {PTRACE_EVENT_CLONE, ForkKind::kClone}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.event);
    TraceStop s = ClassifyStatus(3, PtraceEvent(c.event));
    EXPECT_EQ(s.kind, StopKind::kForkEvent);
    EXPECT_EQ(s.fork_kind, c.kind);
    EXPECT_EQ(s.sig, SIGTRAP);
  }
  // Negative control: vfork and clone are told apart from fork.
  EXPECT_NE(ClassifyStatus(3, PtraceEvent(PTRACE_EVENT_VFORK)).fork_kind, ForkKind::kFork);
  EXPECT_NE(ClassifyStatus(3, PtraceEvent(PTRACE_EVENT_CLONE)).fork_kind, ForkKind::kFork);
}

TEST(ClassifyStatus, ExecExitAndSeccompEvents) {
  EXPECT_EQ(ClassifyStatus(3, PtraceEvent(PTRACE_EVENT_EXEC)).kind, StopKind::kExecEvent);
  EXPECT_EQ(ClassifyStatus(3, PtraceEvent(PTRACE_EVENT_EXIT)).kind, StopKind::kExitEvent);
  EXPECT_EQ(ClassifyStatus(3, PtraceEvent(PTRACE_EVENT_SECCOMP)).kind, StopKind::kSeccompStop);
  // Negative control: the same SIGTRAP without an event is a signal-delivery-stop.
  EXPECT_EQ(ClassifyStatus(3, Stopped(SIGTRAP)).kind, StopKind::kSignalDelivery);
}

TEST(ClassifyStatus, EventStopKeepsTheStopSignal) {
  for (int sig : {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}) {
    SCOPED_TRACE(sig);
    TraceStop s = ClassifyStatus(11, PtraceEvent(PTRACE_EVENT_STOP, sig));
    EXPECT_EQ(s.kind, StopKind::kEventStop);
    EXPECT_EQ(s.sig, sig);
  }
  // A new task's first stop, or the end of a listened group-stop: SIGTRAP.
  TraceStop t = ClassifyStatus(11, PtraceEvent(PTRACE_EVENT_STOP, SIGTRAP));
  EXPECT_EQ(t.kind, StopKind::kEventStop);
  EXPECT_EQ(t.sig, SIGTRAP);
  // Negative control: the same signal without PTRACE_EVENT_STOP is a delivery.
  EXPECT_EQ(ClassifyStatus(11, Stopped(SIGTSTP)).kind, StopKind::kSignalDelivery);
}

TEST(ClassifyStatus, SyscallStopClearsTheSignal) {
  TraceStop s = ClassifyStatus(8, SyscallStop());
  EXPECT_EQ(s.kind, StopKind::kSyscallExit);
  EXPECT_EQ(s.sig, 0);
  // Negative control: SIGTRAP without the 0x80 bit is a real signal.
  TraceStop t = ClassifyStatus(8, Stopped(SIGTRAP));
  EXPECT_NE(t.kind, StopKind::kSyscallExit);
  EXPECT_EQ(t.sig, SIGTRAP);
}

TEST(ClassifyStatus, ContinuedReportsNothing) {
  ASSERT_TRUE(WIFCONTINUED(kContinued));  // the synthesised status is what the kernel reports
  TraceStop s = ClassifyStatus(4, kContinued);
  EXPECT_EQ(s.kind, StopKind::kNone);
  EXPECT_EQ(s.tid, 4);
}

TEST(ClassifyStatus, SynthesisedStatusesAgreeWithLibcMacros) {
  // Guards the helpers above: if they were wrong, every other test would be too.
  EXPECT_TRUE(WIFEXITED(Exited(3)));
  EXPECT_EQ(WEXITSTATUS(Exited(3)), 3);
  EXPECT_TRUE(WIFSIGNALED(Killed(SIGABRT, true)));
  EXPECT_TRUE(WCOREDUMP(Killed(SIGABRT, true)));
  EXPECT_FALSE(WCOREDUMP(Killed(SIGABRT, false)));
  EXPECT_TRUE(WIFSTOPPED(PtraceEvent(PTRACE_EVENT_STOP, SIGSTOP)));
  EXPECT_EQ(WSTOPSIG(PtraceEvent(PTRACE_EVENT_STOP, SIGSTOP)), SIGSTOP);
  EXPECT_EQ(PtraceEvent(PTRACE_EVENT_FORK) >> 16, PTRACE_EVENT_FORK);
}

}  // namespace
}  // namespace proclab::os
