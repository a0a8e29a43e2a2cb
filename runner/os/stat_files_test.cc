// StatFiles reads a process's stat again through the descriptor it kept:
// each read is the process as it is now, and a reaped one reads as nothing.
#include "runner/os/stat_files.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace proclab::os {
namespace {

uint64_t Bit(int sig) { return uint64_t{1} << (sig - 1); }

TEST(StatFiles, EachReadThroughTheKeptDescriptorIsTheProcessNow) {
  int to_child[2], from_child[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(from_child), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char c;
    signal(SIGUSR1, SIG_IGN);
    (void)!write(from_child[1], "1", 1);
    (void)!read(to_child[0], &c, 1);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, [](int) {});
    (void)!write(from_child[1], "2", 1);
    (void)!read(to_child[0], &c, 1);
    _exit(0);
  }
  char c;
  StatFiles files;
  ASSERT_EQ(read(from_child[0], &c, 1), 1);
  auto first = files.Read(child);
  ASSERT_TRUE(first && first->has_signals);
  EXPECT_EQ(first->sig_ignored & Bit(SIGUSR1), Bit(SIGUSR1));
  EXPECT_EQ(first->sig_caught & Bit(SIGUSR2), 0u);  // negative control: no handler yet

  ASSERT_EQ(write(to_child[1], "g", 1), 1);
  ASSERT_EQ(read(from_child[0], &c, 1), 1);
  auto second = files.Read(child);  // the same descriptor, read anew
  ASSERT_TRUE(second && second->has_signals);
  EXPECT_EQ(second->sig_ignored & Bit(SIGUSR1), 0u);
  EXPECT_EQ(second->sig_caught & Bit(SIGUSR2), Bit(SIGUSR2));

  ASSERT_EQ(write(to_child[1], "g", 1), 1);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_FALSE(files.Read(child)) << "reaped: nothing to read";
  for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) close(fd);
}

}  // namespace
}  // namespace proclab::os
