// Where a process was stuck at a timeout, in words, with pids as labels.
#include "runner/timeline/stuck.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

std::string Label(pid_t p) { return "pid " + std::to_string(p); }

ProcessSnapshot In(const std::string& call, char state = 'S') {
  ProcessSnapshot s;
  s.pid = 3;
  s.state = state;
  s.syscall = call;
  return s;
}

TEST(Stuck, NamesTheCallAndWhatItWaitsFor) {
  EXPECT_EQ(DescribeStuck(In("pause"), Label), "in pause(), waiting for a signal");
  EXPECT_EQ(DescribeStuck(In("wait4"), Label), "in wait4(), waiting for a child");
  EXPECT_EQ(DescribeStuck(In("clock_nanosleep"), Label), "in clock_nanosleep(), sleeping");
  EXPECT_EQ(DescribeStuck(In("futex"), Label),
            "in futex(), waiting on a futex (a mutex, semaphore or condition variable)");
  ProcessSnapshot tty = In("read");
  tty.fd = 0;
  tty.file = "/dev/pts/0";
  EXPECT_EQ(DescribeStuck(tty, Label), "in read() on the terminal (fd 0)");
}

TEST(Stuck, APipeReadNamesWhoKeptItsWriteEnd) {
  ProcessSnapshot s = In("read");
  s.fd = 3;
  s.file = "pipe:[4711]";
  s.pipe_writers = {2, 3};
  EXPECT_EQ(DescribeStuck(s, Label),
            "in read() on a pipe (fd 3), whose write end was still open in pid 2 and itself");
}

TEST(Stuck, ALockWaitNamesTheLockAndItsHolder) {
  ProcessSnapshot s = In("flock");
  s.fd = 4;
  s.file = "/tmp/b";
  s.lock_wait = FileLock{"flock", true, "/tmp/b", {4}};
  EXPECT_EQ(DescribeStuck(s, Label),
            "in flock() for a write lock (flock) on /tmp/b, held by pid 4");
}

TEST(Stuck, RunningStoppedAndAsleepOutsideACall) {
  // Negative control: a busy loop is running, never "in" a call.
  EXPECT_EQ(DescribeStuck(In("", 'R'), Label), "running");
  EXPECT_FALSE(Blocked(In("", 'R')));
  EXPECT_TRUE(Blocked(In("pause")));
  EXPECT_EQ(DescribeStuck(In("", 'T'), Label), "stopped");
  ProcessSnapshot d = In("", 'D');
  d.wchan = "io_schedule";
  EXPECT_EQ(DescribeStuck(d, Label), "in an uninterruptible sleep (in the kernel's io_schedule)");
}

TEST(Stuck, FileText) {
  EXPECT_EQ(FileText("pipe:[1]"), "a pipe");
  EXPECT_EQ(FileText("socket:[1]"), "a socket");
  EXPECT_EQ(FileText("/dev/tty"), "the terminal");
  EXPECT_EQ(FileText("anon_inode:[eventfd]"), "an eventfd");
  EXPECT_EQ(FileText("/home/a/x.lock"), "/home/a/x.lock");
}

}  // namespace
}  // namespace proclab
