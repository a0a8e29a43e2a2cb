// The lab's two looks at the files, on stand-in folders, with the "run" in
// between made by the test: what is written, kept, removed, and left outside.
#include "runner/lab/file_watch.h"
#include "tests/support/temp_folder.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace proclab {
namespace {

using proclab::testing::TempFolder;
namespace fs = std::filesystem;

FileWatch::Options For(const TempFolder& cwd, const TempFolder& shared) {
  FileWatch::Options o;
  o.cwd = cwd.path();
  o.uid = geteuid();
  o.gid = getegid();
  o.shared = {shared.path()};
  return o;
}

TEST(FileWatchTest, RecordsWhatTheRunWroteKeptAndRemoved) {
  TempFolder cwd, shared;
  cwd.Put("input.txt", "question\n");
  cwd.Put("stale.txt", "old\n");
  cwd.Put("input.lock");
  FileWatch::Options o = For(cwd, shared);
  o.paths = {{"out.txt", true}, {"input.txt", false}, {"stale.txt", false}, {"*.lock", false}};
  auto watch = FileWatch::Start(o);
  ASSERT_TRUE(watch.ok()) << watch.error().message;
  // The run: writes out.txt, rewrites stale.txt, removes the lock.
  cwd.Put("out.txt", "done\n");
  usleep(20'000);  // past the file system's timestamp granularity
  cwd.Put("stale.txt", "new\n");
  ASSERT_EQ(unlink(cwd.At("input.lock").c_str()), 0);
  std::vector<FileFacts> files;
  std::optional<LeftOutside> left;
  watch->Finish(&files, &left);
  ASSERT_EQ(files.size(), 4u);
  ASSERT_EQ(files[0].entries.size(), 1u);
  EXPECT_TRUE(files[0].entries[0].written);
  EXPECT_EQ(files[0].entries[0].text, "done\n");
  EXPECT_FALSE(files[1].entries[0].written) << "input.txt was not touched";
  EXPECT_FALSE(files[1].entries[0].text) << "no match: asked for its lines";
  EXPECT_TRUE(files[2].entries[0].written) << "stale.txt was rewritten";
  EXPECT_EQ(files[3].matched, 0);
  EXPECT_EQ(files[3].gone, std::vector<std::string>{"input.lock"});
  EXPECT_FALSE(left) << "nobody asked about the shared folders";
}

TEST(FileWatchTest, LeftOutsideIsRecordedAndRemovedOnlyWhenTheUidIsTheRunsOwn) {
  TempFolder cwd, shared;
  FileWatch::Options o = For(cwd, shared);
  o.outside = true;
  {
    auto watch = FileWatch::Start(o);
    ASSERT_TRUE(watch.ok());
    ASSERT_EQ(mkfifo(shared.At("fifo-9").c_str(), 0600), 0);
    std::vector<FileFacts> files;
    std::optional<LeftOutside> left;
    watch->Finish(&files, &left);
    ASSERT_TRUE(left);
    EXPECT_EQ(left->watched, std::vector<std::string>{shared.path()});
    ASSERT_EQ(left->total, 1);
    EXPECT_EQ(left->entries[0].path, shared.At("fifo-9"));
    EXPECT_EQ(left->entries[0].kind, "fifo");
    EXPECT_FALSE(left->entries[0].removed);
    EXPECT_TRUE(fs::exists(fs::symlink_status(shared.At("fifo-9")))) << "removed although shared";
  }
  o.remove_left = true;
  o.outside = false;  // removing does not need an expectation
  auto watch = FileWatch::Start(o);
  ASSERT_TRUE(watch.ok());
  shared.Put("junk/a.txt");
  std::vector<FileFacts> files;
  std::optional<LeftOutside> left;
  watch->Finish(&files, &left);
  ASSERT_TRUE(left) << "what was removed is recorded";
  ASSERT_EQ(left->total, 1) << "the fifo was there before this run";
  EXPECT_EQ(left->entries[0].path, shared.At("junk"));
  EXPECT_TRUE(left->entries[0].removed);
  EXPECT_FALSE(fs::exists(shared.At("junk")));
  EXPECT_TRUE(fs::exists(fs::symlink_status(shared.At("fifo-9"))));
}

TEST(FileWatchTest, AMissingFolderIsAnError) {
  TempFolder shared;
  FileWatch::Options o;
  o.cwd = "/nonexistent/proclab-watch";
  o.paths = {{"out.txt", false}};
  o.shared = {shared.path()};
  EXPECT_FALSE(FileWatch::Start(o).ok());
}

}  // namespace
}  // namespace proclab
