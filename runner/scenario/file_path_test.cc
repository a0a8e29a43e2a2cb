// files: paths: normalized, and refused when they could reach outside the
// run's folder.
#include "runner/scenario/file_path.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

std::string Problem(const std::string& path) {
  auto r = NormalizeFilePath(path);
  return r ? "" : r.error().message;
}

TEST(FilePathTest, NormalizesHarmlessSpellings) {
  EXPECT_EQ(*NormalizeFilePath("out.txt"), "out.txt");
  EXPECT_EQ(*NormalizeFilePath("./logs//a.log/"), "logs/a.log");
  EXPECT_EQ(*NormalizeFilePath("logs/*.log"), "logs/*.log");
  EXPECT_EQ(*NormalizeFilePath("..."), "...");  // a name, not a parent
  EXPECT_EQ(*NormalizeFilePath("a..b"), "a..b");
}

TEST(FilePathTest, RefusesWhatLeavesTheFolder) {
  EXPECT_NE(Problem("/tmp/x").find("is absolute"), std::string::npos);
  EXPECT_NE(Problem("/tmp/x").find("files: {outside: none}"), std::string::npos);
  EXPECT_NE(Problem("../x").find("leaves the run's folder"), std::string::npos);
  EXPECT_NE(Problem("a/../../x").find("leaves the run's folder"), std::string::npos);
  EXPECT_NE(Problem("a/..").find("leaves the run's folder"), std::string::npos);
  EXPECT_NE(Problem("logs/**/x").find("'**' (any depth) is not supported"), std::string::npos);
  EXPECT_NE(Problem("").find("empty"), std::string::npos);
  EXPECT_NE(Problem("./").find("names the run's folder itself"), std::string::npos);
  // Negative control: a plain name is no problem at all.
  EXPECT_EQ(Problem("x"), "");
}

TEST(FilePathTest, SplitsAndSpotsPatterns) {
  EXPECT_EQ(FilePathParts("a/b/c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(FilePathParts("a"), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(HasWildcard("*.log"));
  EXPECT_TRUE(HasWildcard("a?"));
  EXPECT_TRUE(HasWildcard("[ab]"));
  EXPECT_FALSE(HasWildcard("out.txt"));
}

}  // namespace
}  // namespace proclab
