#include "runner/grade/grade_cache.h"
#include "tests/support/temp_folder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace proclab {
namespace {

using proclab::testing::TempFolder;
namespace fs = std::filesystem;

std::string Slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void Write(const std::string& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

TEST(GradeCache, WhatIsStoredIsLoaded) {
  TempFolder d;
  GradeCache cache(d.path() + "/.cache", "build-id:aa");
  ASSERT_TRUE(cache.Open().ok());
  EXPECT_EQ(cache.Load("0123456789abcdef").kind, GradeCache::Found::kAbsent);
  ASSERT_TRUE(cache.Store("0123456789abcdef", "{\"runs\":[1]}\nsecond line").ok());
  GradeCache::Found f = cache.Load("0123456789abcdef");
  ASSERT_EQ(f.kind, GradeCache::Found::kHit) << f.why;
  EXPECT_EQ(f.payload, "{\"runs\":[1]}\nsecond line");
  // Nothing but the entry is left: the temporary file was renamed.
  EXPECT_EQ(std::distance(fs::directory_iterator(cache.dir()), fs::directory_iterator()), 1);
}

TEST(GradeCache, AnEntryOfAnotherProclabBuildIsForeign) {
  TempFolder d;
  ASSERT_TRUE(GradeCache(d.path(), "build-id:aa").Store("k1", "payload").ok());
  GradeCache::Found f = GradeCache(d.path(), "build-id:bb").Load("k1");
  EXPECT_EQ(f.kind, GradeCache::Found::kForeign);
  EXPECT_NE(f.why.find("build-id:aa"), std::string::npos) << f.why;
  // Control: the same build finds it.
  EXPECT_EQ(GradeCache(d.path(), "build-id:aa").Load("k1").kind, GradeCache::Found::kHit);
  // Another cache format is foreign too.
  GradeCache cache(d.path(), "build-id:aa");
  std::string text = Slurp(cache.PathOf("k1"));
  text.replace(text.find(" 1 "), 3, " 2 ");
  Write(cache.PathOf("k1"), text);
  EXPECT_EQ(cache.Load("k1").kind, GradeCache::Found::kForeign);
}

TEST(GradeCache, ADamagedEntryIsNeverUsed) {
  TempFolder d;
  GradeCache cache(d.path(), "build-id:aa");
  ASSERT_TRUE(cache.Store("k1", "{\"score\": 10}").ok());
  const std::string good = Slurp(cache.PathOf("k1"));
  auto damaged = [&](const std::string& text) {
    Write(cache.PathOf("k1"), text);
    GradeCache::Found f = cache.Load("k1");
    EXPECT_TRUE(f.payload.empty());
    return f.kind == GradeCache::Found::kDamaged;
  };
  std::string changed = good;
  changed[changed.size() - 2] = '9';  // {"score": 19}
  EXPECT_TRUE(damaged(changed));
  EXPECT_TRUE(damaged(good.substr(0, good.size() - 3)));  // truncated
  EXPECT_TRUE(damaged(""));
  EXPECT_TRUE(damaged("garbage\n{\"score\": 10}"));
  // An entry copied under another key's name holds that key's results.
  ASSERT_TRUE(cache.Store("k2", "{\"score\": 3}").ok());
  EXPECT_TRUE(damaged(Slurp(cache.PathOf("k2"))));
  // Control: the entry as written is a hit.
  Write(cache.PathOf("k1"), good);
  EXPECT_EQ(cache.Load("k1").kind, GradeCache::Found::kHit);
}

TEST(GradeCache, AFolderThatCannotBeWrittenIsAnError) {
  TempFolder d;
  Write(d.path() + "/.cache", "a file where the folder should be");
  GradeCache cache(d.path() + "/.cache", "build-id:aa");
  EXPECT_FALSE(cache.Open().ok());
  EXPECT_FALSE(cache.Store("k1", "payload").ok());
  EXPECT_EQ(cache.Load("k1").kind, GradeCache::Found::kAbsent);
  // Control: a folder there works.
  GradeCache ok(d.path() + "/cache", "build-id:aa");
  EXPECT_TRUE(ok.Open().ok());
  EXPECT_TRUE(ok.Store("k1", "payload").ok());
}

TEST(GradeCache, PruneKeepsWhatIsUsedAndOnlyTouchesItsOwnFiles) {
  TempFolder d;
  GradeCache cache(d.path(), "build-id:aa");
  ASSERT_TRUE(cache.Store("used", "a").ok());
  ASSERT_TRUE(cache.Store("stale", "b").ok());
  Write(d.path() + "/.stale.tmp-123", "left by an interrupted write");
  Write(d.path() + "/notes.txt", "the teacher's");
  cache.Prune({"used"});
  EXPECT_TRUE(fs::exists(cache.PathOf("used")));
  EXPECT_FALSE(fs::exists(cache.PathOf("stale")));
  EXPECT_FALSE(fs::exists(d.path() + "/.stale.tmp-123"));
  EXPECT_TRUE(fs::exists(d.path() + "/notes.txt"));
}

}  // namespace
}  // namespace proclab
