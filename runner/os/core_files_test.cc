// Which names a dump takes in the program's folder, which of them a folder
// already has, and which files the lab takes for dumps (and removes): only
// regular files of the run's user made during the run, never a link.
#include "runner/os/core_files.h"
#include "tests/support/temp_folder.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

namespace proclab::os {
namespace {

using proclab::testing::TempFolder;
namespace fs = std::filesystem;
using Place = CoreNames::Place;

bool Names(const CoreNames& names, const std::string& name) {
  return names.place == Place::kFolder && std::regex_match(name, std::regex(names.regex));
}

TEST(CoreFilesTest, NamesFollowCorePatternAndCoreUsesPid) {
  const CoreNames plain = CoreNamesFor("core\n", false);
  EXPECT_EQ(plain.place, Place::kFolder);
  EXPECT_EQ(plain.pattern, "core");
  EXPECT_TRUE(Names(plain, "core"));
  EXPECT_FALSE(Names(plain, "core.12"));
  EXPECT_FALSE(Names(plain, "core.c"));
  const CoreNames with_pid = CoreNamesFor("core", true);
  EXPECT_TRUE(Names(with_pid, "core.12"));
  EXPECT_FALSE(Names(with_pid, "core"));
  EXPECT_FALSE(Names(with_pid, "core.c"));
  // %p in the pattern: no ".PID" added.
  EXPECT_TRUE(Names(CoreNamesFor("core.%p", true), "core.7"));
  EXPECT_FALSE(Names(CoreNamesFor("core.%p", true), "core.7.7"));
  const CoreNames by_name = CoreNamesFor("%e.core", false);
  EXPECT_TRUE(Names(by_name, "a.out.core"));
  EXPECT_FALSE(Names(by_name, "core"));
  // Literal text is literal; %% is '%'.
  EXPECT_TRUE(Names(CoreNamesFor("a+b%%(1)", false), "a+b%(1)"));
  EXPECT_FALSE(Names(CoreNamesFor("a+b%%(1)", false), "aab%1"));
  EXPECT_EQ(CoreNamesFor("|/usr/lib/systemd/systemd-coredump %P", false).place, Place::kElsewhere);
  EXPECT_EQ(CoreNamesFor("/var/crash/core.%p", false).place, Place::kElsewhere);
  EXPECT_EQ(CoreNamesFor("", false).place, Place::kElsewhere);
  EXPECT_EQ(CoreNamesFor("cores/core.%p", false).place, Place::kSubFolder);
}

// A folder's names a dump would replace: a file, a link, a folder alike.
// Negative controls: names a dump never takes, and a folder without any.
TEST(CoreFilesTest, NamesInAFolderAreFoundWhateverTheyAre) {
  TempFolder dir;
  (void)dir.Put("core.c");
  (void)dir.Put("core.12");
  auto none = CoreNamesIn(dir.path(), CoreNamesFor("core", false));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());
  ASSERT_EQ(symlink("/nowhere", dir.At("core").c_str()), 0);
  auto link = CoreNamesIn(dir.path(), CoreNamesFor("core", false));
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(*link, std::vector<std::string>{"core"});
  auto pids = CoreNamesIn(dir.path(), CoreNamesFor("core", true));
  ASSERT_TRUE(pids.ok());
  EXPECT_EQ(*pids, std::vector<std::string>{"core.12"});
  EXPECT_TRUE(CoreNamesIn(dir.path(), CoreNamesFor("|/bin/helper", false))->empty());
  EXPECT_FALSE(CoreNamesIn(dir.At("missing"), CoreNamesFor("core", false)).ok());
}

TEST(CoreFilesTest, OnlyTheRunsOwnDumpsAreRemoved) {
  TempFolder dir, elsewhere;
  const CoreNames names = CoreNamesFor("core", true);
  const int64_t since = time(nullptr) - 1;
  const std::string dump = dir.Put("core.3", "dump");
  const std::string stranger = dir.Put("core.77", "not a pid of the run");
  const std::string old = dir.Put("core.9", "from before the run");
  const timespec long_ago[2] = {{1000, 0}, {1000, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, old.c_str(), long_ago, 0), 0);
  const std::string target = elsewhere.Put("core.4", "someone's");
  ASSERT_EQ(symlink(target.c_str(), dir.At("core.4").c_str()), 0);
  const std::string source = dir.Put("core.c", "int main;");
  ASSERT_EQ(mkdir(dir.At("core.5").c_str(), 0700), 0);

  const auto found = FindCores(dir.path(), names, {2, 3, 4, 5}, geteuid(), since);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].path, dump);
  EXPECT_EQ(found[0].pid, 3);
  EXPECT_EQ(found[0].bytes, 4);
  EXPECT_EQ(found[1].path, stranger);
  EXPECT_EQ(found[1].pid, 0);
  EXPECT_FALSE(fs::exists(dump));
  for (const auto& kept : {old, dir.At("core.4"), source, dir.At("core.5"), target})
    EXPECT_TRUE(fs::exists(fs::symlink_status(kept))) << kept;
  // Another user's file of the name is not the run's.
  const std::string theirs = dir.Put("core.6");
  EXPECT_TRUE(FindCores(dir.path(), names, {6}, geteuid() + 1, since).empty());
  EXPECT_TRUE(fs::exists(theirs));
}

}  // namespace
}  // namespace proclab::os
