// What /proc says about a blocked process, parsed from the texts the kernel
// writes (fs/proc/base.c proc_pid_syscall, fs/locks.c lock_get_status,
// fs/proc/fd.c seq_show), so the parsing is checked without a hung process.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/futex.h>
#include <sys/syscall.h>

#include "runner/os/proc_fds.h"
#include "runner/os/proc_locks.h"
#include "runner/os/proc_syscall.h"
#include "runner/os/syscall_names.h"

namespace proclab::os {
namespace {

TEST(ProcSyscall, BlockedInACallWithItsArguments) {
  auto call = ParseSyscallLine("73 0x4 0x2 0x0 0x1 0x0 0x0 0x7ffecbafb688 0x7feab54dc897\n");
  ASSERT_TRUE(call);
  EXPECT_FALSE(call->running);
  EXPECT_EQ(call->nr, 73);
  EXPECT_EQ(call->args[0], 4u);
  EXPECT_EQ(call->args[1], 2u);
}

TEST(ProcSyscall, RunningAndOutsideACall) {
  auto running = ParseSyscallLine("running\n");
  ASSERT_TRUE(running);
  EXPECT_TRUE(running->running);
  auto outside = ParseSyscallLine("-1 0x7ffd1d8c13f0 0x7ff6aeca02d5\n");
  ASSERT_TRUE(outside);
  EXPECT_FALSE(outside->running);
  EXPECT_EQ(outside->nr, -1);
  // Negative controls: nothing, or a truncated line, is not a call.
  EXPECT_FALSE(ParseSyscallLine(""));
  EXPECT_FALSE(ParseSyscallLine("61 0x1"));
  EXPECT_FALSE(ParseSyscallLine("sixty-one"));
}

BlockedCall In(long nr, std::array<uint64_t, 6> args = {}) {
  BlockedCall c;
  c.nr = nr;
  c.args = args;
  return c;
}

TEST(ProcSyscall, WaitsThatOnlyASignalOrAnotherProcessEnds) {
  EXPECT_TRUE(WaitsEndlessly(In(SYS_rt_sigsuspend)));
  EXPECT_TRUE(WaitsEndlessly(In(SYS_wait4)));
  EXPECT_TRUE(WaitsEndlessly(In(SYS_rt_sigtimedwait, {0x7ff0, 0x7ff8, 0, 8})));
  EXPECT_TRUE(
      WaitsEndlessly(In(SYS_futex, {0x7ff0, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, 0})));
#ifdef SYS_pause
  EXPECT_TRUE(WaitsEndlessly(In(SYS_pause)));
#endif
  // Negative controls: a wait with a timeout, a sleep, a read, a futex wake,
  // and a task on a CPU end by themselves (or may).
  EXPECT_FALSE(WaitsEndlessly(In(SYS_rt_sigtimedwait, {0x7ff0, 0x7ff8, 0x7fe0, 8})));
  EXPECT_FALSE(WaitsEndlessly(In(SYS_futex, {0x7ff0, FUTEX_WAIT, 0, 0x7fe0})));
  EXPECT_FALSE(WaitsEndlessly(In(SYS_futex, {0x7ff0, FUTEX_WAKE, 1, 0})));
  EXPECT_FALSE(WaitsEndlessly(In(SYS_clock_nanosleep)));
  EXPECT_FALSE(WaitsEndlessly(In(SYS_read)));
  BlockedCall running;
  running.running = true;
  EXPECT_FALSE(WaitsEndlessly(running));
}

TEST(SyscallNames, TheCallsAProcessWaitsIn) {
  EXPECT_EQ(SyscallName(SYS_wait4), "wait4");
  EXPECT_EQ(SyscallName(SYS_flock), "flock");
  EXPECT_EQ(SyscallName(SYS_read), "read");
  EXPECT_EQ(SyscallName(SYS_futex), "futex");
  EXPECT_EQ(SyscallName(SYS_rt_sigsuspend), "rt_sigsuspend");
#if defined(__x86_64__)
  EXPECT_EQ(SyscallName(34), "pause");
  EXPECT_EQ(SyscallName(61), "wait4");
#endif
  EXPECT_EQ(SyscallName(100000), "syscall 100000");
}

// Two processes deadlocked on two flocks, a third queued behind a request,
// and an OFD lock (pid -1), as /proc/locks lists them.
constexpr const char* kLocks =
    "1: FLOCK  ADVISORY  WRITE 4 fe:00:10953703 0 EOF\n"
    "1: -> FLOCK  ADVISORY  WRITE 3 fe:00:10953703 0 EOF\n"
    "1:  -> FLOCK  ADVISORY  WRITE 5 fe:00:10953703 0 EOF\n"
    "2: FLOCK  ADVISORY  WRITE 3 fe:00:10953701 0 EOF\n"
    "2: -> FLOCK  ADVISORY  WRITE 4 fe:00:10953701 0 EOF\n"
    "3: OFDLCK ADVISORY  READ  -1 00:2d:77 0 9\n"
    "4: POSIX  ADVISORY  WRITE 6 08:01:12 0 EOF\n";

TEST(ProcLocks, HeldLocksAndTheRequestsBlockedOnThem) {
  const auto locks = ParseProcLocks(kLocks);
  ASSERT_EQ(locks.size(), 7u);
  EXPECT_EQ(locks[0].kind, "flock");
  EXPECT_TRUE(locks[0].write);
  EXPECT_EQ(locks[0].pid, 4);
  EXPECT_EQ(locks[0].major, 0xfeu);
  EXPECT_EQ(locks[0].minor, 0u);
  EXPECT_EQ(locks[0].ino, 10953703u);
  EXPECT_FALSE(locks[0].waiting);
  EXPECT_EQ(locks[0].text, "FLOCK  ADVISORY  WRITE 4 fe:00:10953703 0 EOF");
  EXPECT_TRUE(locks[1].waiting);
  EXPECT_EQ(locks[1].pid, 3);
  EXPECT_EQ(locks[1].blocker, 0);
  // A request queued behind a request: its blocker is that request, and the
  // lock at the root of the chain is the held one.
  EXPECT_TRUE(locks[2].waiting);
  EXPECT_EQ(locks[2].blocker, 1);
  EXPECT_EQ(RootLock(locks, 2), 0);
  EXPECT_EQ(locks[4].blocker, 3);
  EXPECT_EQ(locks[5].kind, "ofd");
  EXPECT_EQ(locks[5].pid, -1);
  EXPECT_FALSE(locks[5].write);
  EXPECT_EQ(locks[6].kind, "posix");
  EXPECT_EQ(locks[6].major, 8u);
  EXPECT_EQ(RootLock(locks, 6), 6);
}

TEST(ProcLocks, TornOrForeignLinesAreSkipped) {
  // A request whose lock was not read (the file changed between reads), and
  // a line that is not a lock at all.
  const auto locks = ParseProcLocks(
      "1: -> FLOCK  ADVISORY  WRITE 3 fe:00:1 0 EOF\n"
      "garbage\n"
      "2: FLOCK  ADVISORY  WRITE 3 fe:00:2 0 EOF\n");
  ASSERT_EQ(locks.size(), 1u);
  EXPECT_EQ(locks[0].ino, 2u);
  EXPECT_TRUE(ParseProcLocks("").empty());
}

TEST(ProcFds, FdinfoGivesTheAccessModeAndTheLocksHeld) {
  OpenFd fd;
  ParseFdinfo(
      "pos:\t0\nflags:\t02100001\nmnt_id:\t26\nino:\t10953701\n"
      "lock:\t1: FLOCK  ADVISORY  WRITE 32759 fe:00:10953701 0 EOF\n",
      &fd);
  EXPECT_EQ(fd.access, O_WRONLY);
  ASSERT_EQ(fd.locks.size(), 1u);
  // The same text as /proc/locks gives, without the number that differs.
  EXPECT_EQ(fd.locks[0], "FLOCK  ADVISORY  WRITE 32759 fe:00:10953701 0 EOF");
  OpenFd reader;
  ParseFdinfo("pos:\t0\nflags:\t02000000\n", &reader);
  EXPECT_EQ(reader.access, O_RDONLY);
  EXPECT_TRUE(reader.locks.empty());
}

}  // namespace
}  // namespace proclab::os
