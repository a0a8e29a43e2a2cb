#include "runner/grade/submissions.h"
#include "tests/support/temp_folder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace proclab {
namespace {

using proclab::testing::TempFolder;
namespace fs = std::filesystem;

TEST(Submissions, EachEntryIsOneSubmissionNamedByIt) {
  TempFolder d;
  d.Put("class/alice/main.py");
  d.Put("class/bob.py");
  d.Put("class/carol.tar.gz");
  d.Put("class/dave.zip");
  d.Put("class/.DS_Store");
  auto subs = FindSubmissions({d.path() + "/class"});
  ASSERT_TRUE(subs.ok()) << subs.error().message;
  ASSERT_EQ(subs->size(), 4u);
  EXPECT_EQ((*subs)[0].name, "alice");
  EXPECT_FALSE((*subs)[0].single_file);
  EXPECT_EQ((*subs)[1].name, "bob");
  EXPECT_TRUE((*subs)[1].single_file);
  EXPECT_EQ((*subs)[2].name, "carol");
  EXPECT_TRUE((*subs)[2].archive);
  EXPECT_EQ((*subs)[3].name, "dave");
}

TEST(Submissions, TwoEntriesWithOneNameAreAnError) {
  TempFolder d;
  d.Put("class/alice/main.py");
  d.Put("class/alice.py");
  auto subs = FindSubmissions({d.path() + "/class"});
  ASSERT_FALSE(subs.ok());
  EXPECT_NE(subs.error().message.find("two submissions are called 'alice'"), std::string::npos);
}

TEST(Submissions, TheFirstGlobWithOneMatchNamesTheEntry) {
  TempFolder d;
  d.Put("s/helper.py");
  d.Put("s/src/main.py");
  d.Put("s/.venv/main.py");  // hidden folders do not count
  auto entry = FindEntry(d.path() + "/s", {"main.py", "*.py"});
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  EXPECT_EQ(*entry, "src/main.py");
  // Negative control: only *.py, which matches two files, names no entry.
  auto crowded = FindEntry(d.path() + "/s", {"*.py"});
  ASSERT_FALSE(crowded.ok());
  EXPECT_NE(crowded.error().message.find("'*.py' matches 2 files"), std::string::npos)
      << crowded.error().message;
  auto none = FindEntry(d.path() + "/s", {"*.c"});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("nothing matches *.c"), std::string::npos);
}

TEST(Submissions, ArchivesUnpackInsideTheirFolderOnly) {
  TempFolder d;
  const std::string good = PROCLAB_TEST_DATA "/grading/dc-class/bob.zip";
  const std::string evil = PROCLAB_TEST_DATA "/grading/dc-class/mallory.zip";
  ASSERT_TRUE(Unpack(good, d.path(), 1 << 20).ok());
  EXPECT_TRUE(fs::exists(d.path() + "/bob/main.py"));
  fs::create_directory(d.path() + "/evil");
  Status st = Unpack(evil, d.path() + "/evil", 1 << 20);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("'../escaped.py', a path outside it"), std::string::npos);
  EXPECT_FALSE(fs::exists(d.path() + "/escaped.py"));
  // The size cap: the same good archive, allowed 10 bytes.
  fs::create_directory(d.path() + "/small");
  Status capped = Unpack(good, d.path() + "/small", 10);
  ASSERT_FALSE(capped.ok());
  EXPECT_NE(capped.error().message.find("more than 10 bytes"), std::string::npos);
}

}  // namespace
}  // namespace proclab
