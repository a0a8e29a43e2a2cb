// Where proclab finds its data (docs/design.md §5): PREFIX/share/proclab
// beside the binary's PREFIX/bin; the source tree only for the binary the
// build made, where it made it. A copy elsewhere never reaches the source
// tree whose path was compiled in.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {
namespace fs = std::filesystem;

std::string Library() { return std::string(PROCLAB_SOURCE_DIR) + "/scenarios"; }

class Prefix {
 public:
  Prefix() {
    char templ[] = "/tmp/proclab-data-dir-test-XXXXXX";
    path_ = mkdtemp(templ);
    fs::create_directories(path_ / "bin");
    fs::copy_file(PROCLAB_BINARY, binary());
  }
  ~Prefix() { fs::remove_all(path_); }
  Prefix(const Prefix&) = delete;
  Prefix& operator=(const Prefix&) = delete;
  [[nodiscard]] std::string binary() const { return (path_ / "bin" / "proclab").string(); }
  [[nodiscard]] fs::path scenarios() const { return path_ / "share" / "proclab" / "scenarios"; }

 private:
  fs::path path_;
};

TEST(DataDir, TheBuildsOwnBinaryUsesTheSourceTree) {
  Ran listed = Proclab({"list"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  Ran named = Proclab({"list", Library()});
  EXPECT_EQ(listed.out, named.out);
}

TEST(DataDir, ACopyElsewhereFindsOnlyTheLibraryBesideIt) {
  Prefix p;
  Ran lost = Execute({p.binary(), "list"});
  EXPECT_EQ(lost.status, 2) << lost.out << lost.err;
  EXPECT_NE(lost.err.find("no shipped scenario library was found"), std::string::npos) << lost.err;

  // The control: the same copy with a one-scenario library beside it lists
  // that one, and nothing of the source tree's.
  fs::create_directories(p.scenarios());
  fs::copy_file(Library() + "/signals/handle-ignore-default.yaml", p.scenarios() / "one.yaml");
  Ran found = Execute({p.binary(), "list"});
  EXPECT_EQ(found.status, 0) << found.err;
  EXPECT_NE(found.out.find("signal-dispositions"), std::string::npos) << found.out;
  EXPECT_EQ(found.out.find("zombie-creation"), std::string::npos) << found.out;
}

}  // namespace
}  // namespace proclab::testing
