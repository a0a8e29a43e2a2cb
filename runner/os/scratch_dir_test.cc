// The run's scratch folder: what Create makes, and what the next proclab
// removes as abandoned: only a folder Create made that no lab holds; never
// a look-alike, never through a symbolic link.
#include "runner/os/scratch_dir.h"
#include "tests/support/temp_folder.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace proclab::os {
namespace {

using proclab::testing::TempFolder;
namespace fs = std::filesystem;

mode_t Mode(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// A folder as a lab that died leaves it: made by a child that exits
// without removing it (no destructor runs after _exit).
std::string AbandonedIn(const std::string& parent) {
  int fds[2];
  if (pipe(fds) != 0) return "";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    auto dir = ScratchDir::Create(geteuid(), getegid(), parent);
    if (dir) {
      std::ofstream(dir->path() + "/notes.txt") << "the program's\n";
      (void)!write(fds[1], dir->top().data(), dir->top().size());
    }
    _exit(0);
  }
  close(fds[1]);
  std::string top;
  char buf[256];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) top.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return top;
}

TEST(ScratchDirTest, HomeIsEmptyAndPrivateInsideTheLabsOwnFolder) {
  TempFolder parent;
  auto dir = ScratchDir::Create(geteuid(), getegid(), parent.path());
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const std::string top = dir->top();
  EXPECT_EQ(top.rfind(parent.path() + "/proclab-", 0), 0u) << top;
  EXPECT_EQ(dir->path(), top + "/home");
  EXPECT_TRUE(fs::is_empty(dir->path()));
  EXPECT_EQ(Mode(dir->path()), 0700u);
  EXPECT_EQ(Mode(top), 0711u);
  std::ofstream(dir->path() + "/file") << "x\n";
  dir->Remove();
  EXPECT_FALSE(fs::exists(top));
  EXPECT_TRUE(dir->path().empty());
}

// The next proclab removes a dead lab's folder, everything in it but not
// what a link in it points to. Negative control: a live lab's folder (here
// this process's: an flock taken through another open file conflicts even
// within one process) is kept, and so is the dead one while anyone holds it.
TEST(ScratchDirTest, AnAbandonedFolderIsRemovedAndALiveOneIsKept) {
  TempFolder parent, elsewhere;
  const std::string precious = elsewhere.At("precious.txt");
  std::ofstream(precious) << "mine\n";
  auto live = ScratchDir::Create(geteuid(), getegid(), parent.path());
  ASSERT_TRUE(live.ok()) << live.error().message;
  const std::string dead = AbandonedIn(parent.path());
  ASSERT_FALSE(dead.empty());
  ASSERT_TRUE(fs::exists(dead + "/home/notes.txt"));
  ASSERT_EQ(symlink(elsewhere.path().c_str(), (dead + "/home/link").c_str()), 0);
  ASSERT_EQ(symlink(precious.c_str(), (dead + "/home/file-link").c_str()), 0);
  {
    // Held (as a sweeping proclab would): not abandoned for anyone else.
    const int fd = open(dead.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_EQ(flock(fd, LOCK_EX), 0);
    EXPECT_TRUE(RemoveAbandonedScratchDirs(parent.path()).empty());
    close(fd);
  }
  EXPECT_FALSE(RemoveAbandonedScratchDir(live->top()));
  EXPECT_EQ(RemoveAbandonedScratchDirs(parent.path()), std::vector<std::string>{dead});
  EXPECT_FALSE(fs::exists(fs::symlink_status(dead)));
  EXPECT_TRUE(fs::exists(live->path()));
  EXPECT_EQ(fs::file_size(precious), 5u);
  EXPECT_TRUE(fs::exists(elsewhere.path()));
  // One named folder, as the runner removes a lab's that died mid-run.
  const std::string another = AbandonedIn(parent.path());
  EXPECT_TRUE(RemoveAbandonedScratchDir(another));
  EXPECT_FALSE(fs::exists(another));
  EXPECT_FALSE(RemoveAbandonedScratchDir(another));
}

// The runner removes the folder of a lab that died, but the lab may still
// be dying (the runner waited for its keeper): it waits for the lock, for a
// bounded time. Negative control: without waiting, a held folder stays.
TEST(ScratchDirTest, TheRunnerWaitsForADyingLabToLetGo) {
  TempFolder parent;
  int ready[2], go[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(go), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    close(go[1]);
    auto dir = ScratchDir::Create(geteuid(), getegid(), parent.path());
    if (dir) (void)!write(ready[1], dir->top().data(), dir->top().size());
    close(ready[1]);
    char c;
    (void)!read(go[0], &c, 1);
    usleep(200'000);  // dying, slowly
    _exit(0);
  }
  close(ready[1]);
  close(go[0]);
  std::string top;
  char buf[256];
  for (ssize_t n; (n = read(ready[0], buf, sizeof buf)) > 0;)
    top.append(buf, static_cast<size_t>(n));
  close(ready[0]);
  ASSERT_FALSE(top.empty());
  EXPECT_FALSE(RemoveAbandonedScratchDir(top));
  EXPECT_TRUE(fs::exists(top));
  close(go[1]);
  EXPECT_TRUE(RemoveAbandonedScratchDir(top, 10'000'000));
  EXPECT_FALSE(fs::exists(top));
  waitpid(pid, nullptr, 0);
}

// What a hostile program can plant in /tmp: folders named like ours
// without the marker, with a marker that is a link or a second name of
// ours, a link to a real abandoned folder, a file. None is touched.
TEST(ScratchDirTest, LookAlikesAndLinksAreNeverRemoved) {
  TempFolder parent, elsewhere;
  const std::string real = AbandonedIn(elsewhere.path());
  ASSERT_FALSE(real.empty());
  const std::string unmarked = parent.At("proclab-Ab12Cd");
  ASSERT_EQ(mkdir(unmarked.c_str(), 0700), 0);
  std::ofstream(unmarked + "/data") << "x\n";
  const std::string link_marker = parent.At("proclab-Li12nk");
  ASSERT_EQ(mkdir(link_marker.c_str(), 0700), 0);
  ASSERT_EQ(
      symlink((real + "/made-by-proclab").c_str(), (link_marker + "/made-by-proclab").c_str()), 0);
  const std::string hard_marker = parent.At("proclab-Ha12rd");
  ASSERT_EQ(mkdir(hard_marker.c_str(), 0700), 0);
  ASSERT_EQ(link((real + "/made-by-proclab").c_str(), (hard_marker + "/made-by-proclab").c_str()),
            0);
  const std::string to_real = parent.At("proclab-Sy12ml");
  ASSERT_EQ(symlink(real.c_str(), to_real.c_str()), 0);
  const std::string file = parent.At("proclab-Fi12le");
  std::ofstream(file) << "x\n";
  const std::string renamed = parent.At("proclab-renamed");
  ASSERT_EQ(rename(AbandonedIn(elsewhere.path()).c_str(), renamed.c_str()), 0);
  std::string foreign;
  if (geteuid() == 0) {
    // Marked, and abandoned, but made by another user.
    foreign = AbandonedIn(parent.path());
    ASSERT_EQ(lchown(foreign.c_str(), 65534, 65534), 0);
  }

  EXPECT_TRUE(RemoveAbandonedScratchDirs(parent.path()).empty());
  for (const auto& kept : {unmarked, link_marker, hard_marker, to_real, file, renamed, foreign}) {
    if (!kept.empty()) {
      EXPECT_TRUE(fs::exists(fs::symlink_status(kept))) << kept;
    }
  }
  EXPECT_TRUE(fs::exists(unmarked + "/data"));
  EXPECT_FALSE(RemoveAbandonedScratchDir(to_real));
  EXPECT_FALSE(RemoveAbandonedScratchDir(unmarked));
  EXPECT_FALSE(RemoveAbandonedScratchDir("relative"));
  EXPECT_FALSE(RemoveAbandonedScratchDir("/"));
  // Positive control: the real one, where it is, goes (the hard link made it
  // two names: a marker is believed only when it has one).
  ASSERT_EQ(unlink((hard_marker + "/made-by-proclab").c_str()), 0);
  EXPECT_EQ(RemoveAbandonedScratchDirs(elsewhere.path()), std::vector<std::string>{real});
}

}  // namespace
}  // namespace proclab::os
