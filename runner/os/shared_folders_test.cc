// What a run left in the shared folders, on stand-in folders: new entries
// of the run's user are found, everything else is not; and removing a
// leftover never follows a link out of it.
#include "runner/os/shared_folders.h"
#include "tests/support/temp_folder.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace proclab::os {
namespace {

using proclab::testing::TempFolder;
namespace fs = std::filesystem;

std::vector<std::string> Paths(const std::vector<LeftBehind>& left) {
  std::vector<std::string> out;
  for (const auto& l : left) out.push_back(l.path);
  return out;
}

TEST(SharedFoldersTest, NewEntriesOfTheUserAreWhatTheRunLeft) {
  TempFolder tmp, shm;
  (void)tmp.Put("old.txt");
  const SharedFolderWatch w = SharedFolderWatch::Start({tmp.path(), shm.path()});
  (void)tmp.Put("new.txt", "12345");
  ASSERT_EQ(mkfifo(tmp.At("fifo-7").c_str(), 0600), 0);
  (void)shm.Put("sem.ticket");
  (void)tmp.Put("scratch/a");
  (void)tmp.Put("scratch/b");
  int64_t total = 0;
  auto left = w.NewEntries(geteuid(), {}, 100, &total);
  EXPECT_EQ(Paths(left), (std::vector<std::string>{tmp.At("fifo-7"), tmp.At("new.txt"),
                                                   tmp.At("scratch"), shm.At("sem.ticket")}));
  EXPECT_EQ(total, 4);
  EXPECT_EQ(left[1].size, 5);
  EXPECT_EQ(left[2].entries, 2);
  EXPECT_TRUE(S_ISFIFO(left[0].mode));
  // The cap bounds the list, not the count.
  auto two = w.NewEntries(geteuid(), {}, 2, &total);
  EXPECT_EQ(two.size(), 2u);
  EXPECT_EQ(total, 4);
}

TEST(SharedFoldersTest, WhatIsNotTheRunsIsLeftOut) {
  TempFolder tmp;
  const SharedFolderWatch w = SharedFolderWatch::Start({tmp.path()});
  (void)tmp.Put("home-of-the-lab/x");                           // the lab's own (ignored by path)
  ASSERT_EQ(mkdir(tmp.At("proclab-Ab12Cd").c_str(), 0700), 0);  // another lab's HOME
  ASSERT_EQ(mkdir(tmp.At("proclab-work-123-4").c_str(), 0700), 0);  // a grading copy
  int64_t total = 0;
  EXPECT_TRUE(w.NewEntries(geteuid(), {tmp.At("home-of-the-lab")}, 100, &total).empty());
  EXPECT_EQ(total, 0);
  // Another user's new entry is not this run's.
  EXPECT_TRUE(w.NewEntries(geteuid() + 1, {}, 100, &total).empty());
  // Negative control: a name like proclab's that is a file, not a folder, counts.
  (void)tmp.Put("proclab-Zz99Yy");
  EXPECT_EQ(Paths(w.NewEntries(geteuid(), {tmp.At("home-of-the-lab")}, 100, &total)),
            std::vector<std::string>{tmp.At("proclab-Zz99Yy")});
}

TEST(SharedFoldersTest, AnEntryReplacedDuringTheRunIsNew) {
  TempFolder tmp;
  const std::string lock = tmp.Put("app.lock");
  const SharedFolderWatch w = SharedFolderWatch::Start({tmp.path()});
  int64_t total = 0;
  EXPECT_TRUE(w.NewEntries(geteuid(), {}, 100, &total).empty());
  const std::string keep = tmp.Put("keep-the-inode-busy");
  ASSERT_EQ(unlink(lock.c_str()), 0);
  ASSERT_EQ(rename(keep.c_str(), lock.c_str()), 0);  // same name, another inode
  EXPECT_EQ(Paths(w.NewEntries(geteuid(), {}, 100, &total)), std::vector<std::string>{lock});
}

TEST(SharedFoldersTest, AFolderTooBigIsNotWatched) {
  TempFolder tmp;
  for (int i = 0; i < 5; ++i) (void)tmp.Put("f" + std::to_string(i));
  const SharedFolderWatch w = SharedFolderWatch::Start({tmp.path()}, 3);
  EXPECT_TRUE(w.folders().empty());
  EXPECT_EQ(w.note(), tmp.path() + " has more than 3 entries: not watched");
}

TEST(SharedFoldersTest, KnowsProclabsOwnFolders) {
  EXPECT_TRUE(IsProclabFolderName("proclab-a1B2c3"));
  EXPECT_TRUE(IsProclabFolderName("proclab-work-4242-17"));
  EXPECT_TRUE(IsProclabFolderName("proclab-cc-0"));
  EXPECT_FALSE(IsProclabFolderName("proclab-a1B2c"));
  EXPECT_FALSE(IsProclabFolderName("proclab-work-x-1"));
  EXPECT_FALSE(IsProclabFolderName("proclab-work-1-"));
  EXPECT_FALSE(IsProclabFolderName("proclab-cc-"));
  EXPECT_FALSE(IsProclabFolderName("my-proclab-a1B2c3"));
}

TEST(SharedFoldersTest, RemovingALeftoverNeverFollowsALink) {
  TempFolder tmp, elsewhere;
  const std::string precious = elsewhere.Put("precious.txt");
  (void)tmp.Put("left/deep/er/file.txt");
  ASSERT_EQ(symlink(elsewhere.path().c_str(), tmp.At("left/deep/link").c_str()), 0);
  ASSERT_EQ(symlink(precious.c_str(), tmp.At("left/file-link").c_str()), 0);
  ASSERT_TRUE(RemoveTree(tmp.At("left")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(tmp.At("left"))));
  EXPECT_TRUE(fs::exists(precious));
  // A single file, and one already gone.
  const std::string one = tmp.Put("one.txt");
  EXPECT_TRUE(RemoveTree(one));
  EXPECT_FALSE(fs::exists(one));
  EXPECT_TRUE(RemoveTree(one));
  EXPECT_FALSE(RemoveTree("relative"));
}

// A program can nest folders deeper than the descriptors a removal may hold
// (one per level, 256): what is deeper is moved up and removed too, not left.
TEST(SharedFoldersTest, RemovingATreeDeeperThanItsDescriptorsLeavesNothing) {
  TempFolder tmp;
  const std::string deep = tmp.At("deep");
  ASSERT_EQ(mkdir(deep.c_str(), 0700), 0);
  int at = open(deep.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (int level = 0; level < 300 && at >= 0; ++level) {
    ASSERT_EQ(mkdirat(at, "d", 0700), 0);
    const int next = openat(at, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    close(at);
    at = next;
  }
  ASSERT_GE(at, 0);
  close(openat(at, "bottom.txt", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  close(at);
  EXPECT_TRUE(RemoveTree(deep));
  EXPECT_FALSE(fs::exists(fs::symlink_status(deep)));
}

}  // namespace
}  // namespace proclab::os
