#include "runner/os/uid_lease.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

namespace proclab::os {
namespace {

class LeaseDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/proclab-lease-test-XXXXXX";
    root_ = mkdtemp(tmpl);
    dir_ = root_ + "/p/uids";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_, dir_;
};

TEST_F(LeaseDir, TwoHoldersGetDisjointBlocksAndAFreedBlockIsTakenAgain) {
  auto a = UidLease::Take(dir_, 1000, 10, 4);
  auto b = UidLease::Take(dir_, 1000, 10, 4);
  ASSERT_TRUE(a && b) << (a ? b.error().message : a.error().message);
  EXPECT_EQ(a->first(), 1000u);
  EXPECT_EQ(b->first(), 1010u);
  { UidLease gone = std::move(*a); }
  auto c = UidLease::Take(dir_, 1000, 10, 4);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->first(), 1000u);
}

// The lock belongs to the process: a holder that exits frees its block, and
// while it lives another process cannot take it.
TEST_F(LeaseDir, AnotherProcessWaitsForNothingAndSeesTheBlockHeld) {
  auto mine = UidLease::Take(dir_, 0, 100, 2);
  ASSERT_TRUE(mine);
  pid_t child = fork();
  if (child == 0) {
    auto theirs = UidLease::Take(dir_, 0, 100, 2);
    _exit(theirs && theirs->block() == 1 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(LeaseDir, WhenEveryBlockIsHeldTheAnswerSaysSo) {
  auto a = UidLease::Take(dir_, 0, 1, 1);
  ASSERT_TRUE(a);
  auto b = UidLease::Take(dir_, 0, 1, 1);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("held by other gradings"), std::string::npos);
}

TEST_F(LeaseDir, AFolderOthersCouldWriteIsRefused) {
  std::filesystem::create_directories(dir_);
  chmod(dir_.c_str(), 0777);
  auto a = UidLease::Take(dir_, 0, 1, 1);
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("writable by nobody else"), std::string::npos);
  // Negative control: the same folder, made private, is accepted.
  chmod(dir_.c_str(), 0700);
  EXPECT_TRUE(UidLease::Take(dir_, 0, 1, 1));
}

TEST_F(LeaseDir, ASymlinkInPlaceOfTheFolderIsRefused) {
  std::filesystem::create_directories(root_ + "/elsewhere");
  std::filesystem::create_directories(root_ + "/p");
  std::filesystem::create_directory_symlink(root_ + "/elsewhere", dir_);
  EXPECT_FALSE(UidLease::Take(dir_, 0, 1, 1));
}

}  // namespace
}  // namespace proclab::os
