#include "runner/grade/grade_keys.h"
#include "tests/support/temp_folder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace proclab {
namespace {

using proclab::testing::TempFolder;
namespace fs = std::filesystem;

std::string Print(const std::string& path, const std::vector<std::string>& skip = {}) {
  auto f = FingerprintTree(path, skip);
  EXPECT_TRUE(f.ok()) << f.error().message;
  return f ? *f : "";
}

TEST(FingerprintTree, SameFilesSamePrintWhateverTheirTimes) {
  TempFolder a, b;
  a.Put("main.py", "print(1)\n");
  a.Put("lib/util.py", "x = 1\n");
  b.Put("lib/util.py", "x = 1\n");  // written in another order, later
  b.Put("main.py", "print(1)\n");
  fs::last_write_time(b.path() + "/main.py",
                      fs::file_time_type::clock::now() - std::chrono::hours(5));
  EXPECT_EQ(Print(a.path()), Print(b.path()));
}

TEST(FingerprintTree, AnyChangeToTheFilesChangesIt) {
  TempFolder a;
  a.Put("main.py", "print(1)\n");
  a.Put("lib/util.py", "x = 1\n");
  const std::string before = Print(a.path());
  a.Put("main.py", "print(2)\n");
  EXPECT_NE(Print(a.path()), before) << "content";
  a.Put("main.py", "print(1)\n");
  EXPECT_EQ(Print(a.path()), before) << "control: back as it was";
  fs::rename(a.path() + "/lib/util.py", a.path() + "/lib/utils.py");
  EXPECT_NE(Print(a.path()), before) << "a renamed file";
  fs::rename(a.path() + "/lib/utils.py", a.path() + "/lib/util.py");
  fs::permissions(a.path() + "/main.py", fs::perms::owner_exec, fs::perm_options::add);
  EXPECT_NE(Print(a.path()), before) << "an executable bit";
  fs::permissions(a.path() + "/main.py", fs::perms::owner_exec, fs::perm_options::remove);
  fs::create_directory(a.path() + "/empty");
  EXPECT_NE(Print(a.path()), before) << "a new folder";
}

TEST(FingerprintTree, SkippedPathsDoNotCount) {
  TempFolder a;
  a.Put("suite/one.yaml", "scenario: one\n");
  const std::string scenario = fs::weakly_canonical(a.path() + "/suite/one.yaml");
  a.Put("suite/helper.py", "pass\n");
  a.Put("suite/out/grades.csv", "ana,1\n");
  const std::vector<std::string> skip = {scenario, fs::weakly_canonical(a.path() + "/suite/out")};
  const std::string before = Print(a.path() + "/suite", skip);
  a.Put("suite/one.yaml", "scenario: one\npoints: 3\n");
  a.Put("suite/out/grades.csv", "ana,2\n");
  EXPECT_EQ(Print(a.path() + "/suite", skip), before);
  // Control: a file that is not skipped counts.
  a.Put("suite/helper.py", "pass  # changed\n");
  EXPECT_NE(Print(a.path() + "/suite", skip), before);
}

TEST(FingerprintTree, AMissingPathIsAnError) {
  EXPECT_FALSE(FingerprintTree("/nonexistent/proclab/suite").ok());
}

TEST(GradeKeys, EveryInputIsInThePairsKey) {
  const GradeKeys keys("suite", "grade", 1, "auto");
  const std::string k = keys.Pair("ana", "files", "driver", "yaml");
  EXPECT_EQ(k, GradeKeys("suite", "grade", 1, "auto").Pair("ana", "files", "driver", "yaml"));
  EXPECT_NE(k, GradeKeys("suite2", "grade", 1, "auto").Pair("ana", "files", "driver", "yaml"));
  EXPECT_NE(k, GradeKeys("suite", "grade2", 1, "auto").Pair("ana", "files", "driver", "yaml"));
  EXPECT_NE(k, GradeKeys("suite", "grade", 3, "auto").Pair("ana", "files", "driver", "yaml"));
  EXPECT_NE(k, GradeKeys("suite", "grade", 1, "subreaper").Pair("ana", "files", "driver", "yaml"));
  EXPECT_NE(k, keys.Pair("ben", "files", "driver", "yaml"));
  EXPECT_NE(k, keys.Pair("ana", "files2", "driver", "yaml"));
  EXPECT_NE(k, keys.Pair("ana", "files", "conductor", "yaml"));
  EXPECT_NE(k, keys.Pair("ana", "files", "driver", "yaml2"));
  EXPECT_NE(k, keys.Build("ana", "files"));
}

// A build depends on the submission and grade.yaml, not on the scenarios.
TEST(GradeKeys, ABuildsKeyIgnoresTheScenarios) {
  const std::string k = GradeKeys("suite", "grade", 1, "auto").Build("ana", "files");
  EXPECT_EQ(k, GradeKeys("suite2", "grade", 3, "auto").Build("ana", "files"));
  EXPECT_NE(k, GradeKeys("suite", "grade2", 1, "auto").Build("ana", "files"));
  EXPECT_NE(k, GradeKeys("suite", "grade", 1, "auto").Build("ana", "files2"));
}

}  // namespace
}  // namespace proclab
