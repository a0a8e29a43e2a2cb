// The installed layout is found from the executable's own path: PREFIX/bin
// next to PREFIX/share/NAME, and nothing when that folder is missing.
#include "runner/os/self_location.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "runner/os/process_ops.h"

namespace proclab::os {
namespace {
namespace fs = std::filesystem;

class Prefix {
 public:
  Prefix() {
    char templ[] = "/tmp/proclab-prefix-test-XXXXXX";
    path_ = mkdtemp(templ);
    fs::create_directories(path_ / "bin");
  }
  ~Prefix() { fs::remove_all(path_); }
  Prefix(const Prefix&) = delete;
  Prefix& operator=(const Prefix&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(SelfLocation, FindsShareBesideBin) {
  Prefix p;
  fs::create_directories(p.path() / "share" / "proclab" / "scenarios");
  EXPECT_EQ(DataDirBeside((p.path() / "bin" / "proclab").string(), "proclab"),
            fs::canonical(p.path() / "share" / "proclab").string());
}

// The control: the same prefix without share/proclab finds nothing, and a
// share folder of another name is not taken for it.
TEST(SelfLocation, NothingWhenShareIsMissing) {
  Prefix p;
  fs::create_directories(p.path() / "share" / "other");
  EXPECT_EQ(DataDirBeside((p.path() / "bin" / "proclab").string(), "proclab"), "");
  EXPECT_EQ(DataDirBeside("", "proclab"), "");
}

TEST(SelfLocation, RunningFromIsTheExecutablesOwnFolder) {
  const fs::path here = fs::path(OwnExecutable()).parent_path();
  ASSERT_FALSE(here.empty());
  EXPECT_TRUE(RunningFrom(here.string()));
  EXPECT_TRUE(RunningFrom((here / ".").string()));
  EXPECT_FALSE(RunningFrom(here.parent_path().string()));
  EXPECT_FALSE(RunningFrom(""));
}

}  // namespace
}  // namespace proclab::os
