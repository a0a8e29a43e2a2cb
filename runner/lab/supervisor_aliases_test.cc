// Writes through descriptors copied from fds 1 and 2 (supervisor_aliases.cc),
// on scripted stops: perror()'s dup is followed, its write recorded for its
// writer, and the following stops when the last alias is gone.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/syscall.h>

#include "runner/lab/supervisor_test_fixture.h"

namespace proclab::testing {
namespace {

constexpr int kTty = 50;  // the lab's descriptor of the terminal
const Restart kFollow = Restart::ToSyscallExit();

class AliasTest : public SupervisorTest {
 protected:
  void SetUp() override {
    Start(true, 256, "", kTty);
    ops_.same_as[{2, 1}] = kTty;
    ops_.same_as[{2, 2}] = kTty;
  }
  // dup(fd) by `pid`, returning `to`, with the kernel's answer for `to`.
  void Dup(pid_t pid, int fd, int to) {
    EXPECT_EQ(Handle(Seccomp(pid, SYS_dup, {static_cast<uint64_t>(fd)})), kFollow);
    if (ops_.same_as.count({pid, fd})) ops_.same_as[{pid, to}] = ops_.same_as[{pid, fd}];
    EXPECT_EQ(Handle(SyscallExit(pid, to)).op, Restart::Op::kSyscall);
  }
  [[nodiscard]] std::vector<Event> Output() const {
    std::vector<Event> out;
    for (const Event* e : Of(EventType::kOutput)) out.push_back(*e);
    return out;
  }
};

TEST_F(AliasTest, PerrorsDupOfStderrIsFollowedUntilItIsClosed) {
  Dup(2, 2, 3);
  // Every syscall stops now; those that are not writes through 3 just go on.
  EXPECT_EQ(Handle(SyscallEntry(2, SYS_fcntl, {3, F_GETFL})), kFollow);
  EXPECT_EQ(Handle(SyscallExit(2, O_RDWR)), kFollow);
  ops_.memory = "prog: No such file or directory\n";
  EXPECT_EQ(Handle(SyscallEntry(2, SYS_write, {3, 0x1000, 32})), kFollow);
  EXPECT_TRUE(Output().empty());  // a terminal write may fall short: counted at its exit
  EXPECT_EQ(Handle(SyscallExit(2, 32)), kFollow);
  auto out = Output();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].pid, 2);
  EXPECT_EQ(out[0].stream, Stream::kStderr);  // made from fd 2, though one file on a tty
  EXPECT_EQ(out[0].text, "prog: No such file or directory\n");
  // The last alias closed: back to stopping only where the filter says.
  EXPECT_EQ(Handle(SyscallEntry(2, SYS_close, {3})), Restart::Cont());
  EXPECT_EQ(Handle(Seccomp(2, SYS_wait4, {static_cast<uint64_t>(-1)})), kFollow);
  EXPECT_EQ(Handle(SyscallExit(2, -ECHILD)), Restart::Cont());
}

TEST_F(AliasTest, AForkedChildWritesThroughItsCopyAsItself) {
  Dup(2, 1, 3);
  EXPECT_EQ(Handle(Seccomp(2, SYS_fork)), kFollow);  // every restart asks for the next stop
  ops_.Live(3, 2);
  EXPECT_EQ(Handle(ForkEvent(2, os::ForkKind::kFork, 3)), kFollow);
  EXPECT_EQ(Handle(EventStop(3, SIGTRAP)), kFollow);  // the child holds the copy too
  ops_.same_as[{3, 3}] = kTty;
  ops_.memory = "child\n";
  EXPECT_EQ(Handle(SyscallEntry(3, SYS_write, {3, 0x1000, 6})), kFollow);
  EXPECT_EQ(Handle(SyscallExit(3, 6)), kFollow);
  auto out = Output();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].pid, 3);
  EXPECT_EQ(out[0].stream, Stream::kStdout);
}

TEST_F(AliasTest, SignalsAreDeliveredWhileFollowing) {
  Dup(2, 1, 3);
  ops_.status[2].sig_caught = uint64_t{1} << (SIGUSR1 - 1);
  Restart r = Handle(Delivery(2, SIGUSR1, SI_USER, 2));
  EXPECT_EQ(r.op, Restart::Op::kSyscall);
  EXPECT_EQ(r.sig, SIGUSR1);
}

TEST_F(AliasTest, ADupOfSomethingElseIsNotFollowed) {
  // A file's descriptor: the lab lets it be at once.
  EXPECT_EQ(Handle(Seccomp(2, SYS_dup, {4})), Restart::Cont());
  EXPECT_EQ(Handle(Seccomp(2, SYS_fcntl, {4, F_DUPFD, 10})), Restart::Cont());
  // fd 1 after the program pointed it at a file: not the output any more.
  ops_.same_as.erase({2, 1});
  EXPECT_EQ(Handle(Seccomp(2, SYS_dup2, {1, 7})), Restart::Cont());
  // Negative control: fd 2 is still the terminal.
  EXPECT_EQ(Handle(Seccomp(2, SYS_dup2, {2, 7})), kFollow);
}

TEST_F(AliasTest, ReplacingClosingAndExecEndTheFollowing) {
  // dup2 of a file over the alias: the kernel closes the alias first.
  EXPECT_EQ(Handle(Seccomp(2, SYS_dup3, {2, 7, 0})), kFollow);
  ops_.same_as[{2, 7}] = kTty;
  EXPECT_EQ(Handle(SyscallExit(2, 7)).op, Restart::Op::kSyscall);
  EXPECT_EQ(Handle(Seccomp(2, SYS_dup2, {4, 7})), kFollow);
  ops_.same_as.erase({2, 7});
  EXPECT_EQ(Handle(SyscallExit(2, 7)), Restart::Cont());

  // close_range closes it; with CLOSE_RANGE_CLOEXEC it only marks it.
  Dup(2, 1, 5);
  EXPECT_EQ(Handle(SyscallEntry(2, SYS_close_range, {3, ~0u, CLOSE_RANGE_CLOEXEC})), kFollow);
  EXPECT_EQ(Handle(SyscallEntry(2, SYS_close_range, {3, ~0u, 0})), Restart::Cont());

  // exec: the kernel closed the close-on-exec ones before the exec event.
  EXPECT_EQ(Handle(Seccomp(2, SYS_fcntl, {1, F_DUPFD_CLOEXEC, 20})), kFollow);
  ops_.same_as[{2, 20}] = kTty;
  EXPECT_EQ(Handle(SyscallExit(2, 20)).op, Restart::Op::kSyscall);
  Dup(2, 1, 9);
  ops_.same_as.erase({2, 20});
  TraceStop exec = Stop(2, StopKind::kExecEvent);
  exec.msg = 2;
  EXPECT_EQ(Handle(exec).op, Restart::Op::kSyscall);  // 9 is still open
  EXPECT_EQ(Handle(SyscallEntry(2, SYS_close, {9})), Restart::Cont());
}

TEST_F(AliasTest, AFailedDupMakesNothing) {
  EXPECT_EQ(Handle(Seccomp(2, SYS_dup, {2})), kFollow);
  EXPECT_EQ(Handle(SyscallExit(2, -EMFILE)), Restart::Cont());
  // Negative control: the same call that works is followed from then on.
  Dup(2, 2, 3);
}

}  // namespace
}  // namespace proclab::testing
