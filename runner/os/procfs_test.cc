// /proc/PID/stat, /proc/PID/status and schedstat as the tracer reads them at
// every exit: the parse of the kernel's text (fs/proc/array.c do_task_stat),
// and the readers on a live process and on a zombie.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/os/procfs.h"

namespace proclab::os {
namespace {

// A real line (kernel 6.x), with a comm that holds ") " and a space.
constexpr const char* kStatLine =
    "4242 (a) b (c) S 4241 4240 4239 34816 4242 4194560 1059 0 0 0 17 23 0 0 20 -2 3 0 "
    "16842 10657792 1151 18446744073709551615 94395338874880 94395339647749 140728893396736 "
    "0 0 0 65536 4 65538 1 0 0 17 1 0 0 0 0 0 94395339874160 94395339919268 "
    "94395371261952 140728893402349 140728893402375 140728893402375 140728893403118 0\n";

TEST(ProcStat, ParsesTheFieldsAfterTheLastParenthesis) {
  auto st = ParseStat(kStatLine);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 4241);
  EXPECT_EQ(st->pgid, 4240);
  EXPECT_EQ(st->sid, 4239);
  EXPECT_EQ(st->utime_ticks, 17u);
  EXPECT_EQ(st->stime_ticks, 23u);
  EXPECT_EQ(st->nice, -2);
  EXPECT_EQ(st->threads, 3);
  EXPECT_EQ(st->processor, 1);
  ASSERT_TRUE(st->has_signals);
  EXPECT_EQ(st->sig_ignored, 4u);                                 // SIGQUIT
  EXPECT_EQ(st->sig_caught, (1u << (2 - 1)) | (1u << (17 - 1)));  // SIGINT, SIGCHLD
}

TEST(ProcStat, RefusesTruncatedOrMalformedText) {
  EXPECT_TRUE(ParseStat("1 (x) R 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1"));  // up to num_threads
  EXPECT_EQ(ParseStat("1 (x) R 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1")->processor, -1);
  EXPECT_FALSE(ParseStat("1 (x) R 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1")->has_signals);
  // Negative controls: each must fail.
  EXPECT_FALSE(ParseStat(""));
  EXPECT_FALSE(ParseStat("1 (x) R 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0"));  // no num_threads
  EXPECT_FALSE(ParseStat("1 (x) R zero 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1"));
  EXPECT_FALSE(ParseStat("1 (x) RS 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1"));
  EXPECT_FALSE(ParseStat("1 x R 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1"));
}

TEST(ProcStat, ReadsALiveProcessAndAZombieUntilItIsReaped) {
  auto self = ReadStat(getpid());
  ASSERT_TRUE(self);
  EXPECT_EQ(self->ppid, getppid());
  EXPECT_EQ(self->state, 'R');
  auto status = ReadStatus(getpid());
  ASSERT_TRUE(status);
  EXPECT_EQ(status->tgid, getpid());
  EXPECT_EQ(status->ppid, getppid());

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  siginfo_t si{};
  ASSERT_EQ(waitid(P_PID, child, &si, WEXITED | WNOWAIT), 0);  // a zombie, not reaped
  auto task = ReadTaskStat(child);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->state, 'Z');
  EXPECT_EQ(task->ppid, getpid());
  EXPECT_GE(task->processor, 0);
  EXPECT_GE(ReadTaskCpuNs(child).value_or(-1), 0);
  auto zombie = ReadStatus(child);
  ASSERT_TRUE(zombie);
  EXPECT_EQ(zombie->tgid, child);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  // Negative control: once reaped, nothing is left to read.
  EXPECT_FALSE(ReadTaskStat(child));
  EXPECT_FALSE(ReadTaskCpuNs(child));
  EXPECT_FALSE(ReadStatus(child));
}

}  // namespace
}  // namespace proclab::os
