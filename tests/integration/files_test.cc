// files: end to end on a real Python program (tests/files/): the result it
// writes, what it forgets, a link it plants, what it leaves in /tmp and
// /dev/shm; a fresh copy of the folder for each run; and grading, where what
// a submission leaves outside its folder is removed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/cli_runner.h"
#include "tests/support/temp_folder.h"

namespace proclab::testing {
namespace {

using proclab::testing::TempFolder;
namespace fs = std::filesystem;
using nlohmann::json;

const std::string kFiles = std::string(PROCLAB_TEST_DATA) + "/files";

std::string FilesSlurp(const fs::path& p) {
  std::ifstream f(p);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// `proclab run FILE` with a json report: the one run it made.
json FilesRunOne(const std::string& file, Ran* ran) {
  TempFolder out;
  const std::string report = out.path() + "/report.json";
  *ran = Proclab({"run", "--report", "json:" + report, "--report", "console", file});
  json doc = json::parse(FilesSlurp(report), nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << ran->out << ran->err;
  if (doc.is_discarded() || doc["runs"].size() != 1) return json::object();
  return doc["runs"][0];
}

// The explanations of the verdicts about files, in order.
std::vector<std::string> FileVerdicts(const json& run) {
  std::vector<std::string> out;
  for (const auto& v : run.value("verdicts", json::array()))
    if (v["expectation"].get<std::string>().starts_with("files:"))
      out.push_back(std::string(v["passed"].get<bool>() ? "✓ " : "✗ ") +
                    v["explanation"].get<std::string>());
  return out;
}

// Removes what a run left outside its folder, by what its trace says; each
// must have been there (the trace is not made up).
void RemoveLeftOutside(const json& run) {
  for (const auto& e : run["trace"]["left_outside"]["entries"]) {
    const std::string path = e["path"].get<std::string>();
    EXPECT_TRUE(fs::exists(fs::symlink_status(path))) << path;
    std::error_code ec;
    fs::remove_all(path, ec);
  }
}

TEST(FilesCli, AProgramThatWritesItsResultAndTidiesUp) {
  Ran r;
  const json run = FilesRunOne(kFiles + "/files-pass.yaml", &r);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  const auto v = FileVerdicts(run);
  ASSERT_EQ(v.size(), 4u) << r.out;
  EXPECT_EQ(v[0],
            "✓ out.txt is there: a file of 20 bytes, written by the run; line 2 of out.txt "
            "matched: 'total 4000'");
  EXPECT_EQ(v[1],
            "✓ 2 entries matched 'logs/*.log': logs/a.log, logs/b.log; line 1 of logs/a.log "
            "matched: 'finished'");
  EXPECT_EQ(v[2], "✓ core is not there");
  EXPECT_TRUE(v[3].starts_with("✓ the run left nothing in /tmp, /var/tmp, /dev/shm")) << v[3];
  // The run worked in a copy: the scenario's folder is as it was.
  EXPECT_FALSE(fs::exists(kFiles + "/out.txt"));
  EXPECT_FALSE(fs::exists(kFiles + "/logs"));
}

TEST(FilesCli, AProgramThatForgetsAndLitters) {
  Ran r;
  const json run = FilesRunOne(kFiles + "/files-fail.yaml", &r);
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  const auto v = FileVerdicts(run);
  ASSERT_EQ(v.size(), 4u) << r.out;
  // The folder the run had: the scenario's, copied.
  const std::string had = "(the folder had: files-fail.yaml, files-link.yaml, files-pass.yaml, ";
  EXPECT_TRUE(v[0].starts_with("✗ out.txt was never created " + had)) << v[0];
  EXPECT_TRUE(v[0].ends_with(", writer.py)")) << v[0];
  EXPECT_TRUE(v[1].starts_with("✗ nothing matched 'logs/*.log': there is no folder logs " + had))
      << v[1];
  EXPECT_EQ(v[2], "✓ core is not there");
  // Folder by folder as watched (/tmp, /var/tmp, /dev/shm, /run/lock).
  EXPECT_TRUE(v[3].starts_with("✗ left behind outside its folder: /tmp/proclab-test-fifo-"))
      << v[3];
  EXPECT_NE(v[3].find(" (a FIFO), /dev/shm/proclab-test-shm-"), std::string::npos) << v[3];
  // proclab run, as root or not, does not own the programs' account: it
  // names what was left and leaves it.
  EXPECT_TRUE(v[3].ends_with(
      " (POSIX shared memory of 64 bytes: shm_unlink() removes it); they are still there"))
      << v[3];
  EXPECT_EQ(run["trace"]["left_outside"]["total"], 2);
  RemoveLeftOutside(run);
}

// The lab may be root: a link the program plants must not make it read
// what the link points at.
TEST(FilesCli, ALinkIsJudgedAsALinkAndNeverFollowed) {
  Ran r;
  const json run = FilesRunOne(kFiles + "/files-link.yaml", &r);
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  const auto v = FileVerdicts(run);
  ASSERT_EQ(v.size(), 1u) << r.out;
  EXPECT_EQ(v[0], "✗ out.txt is a symbolic link, not a file");
  const json& entry = run["trace"]["files"][0]["entries"][0];
  EXPECT_EQ(entry["kind"], "symlink");
  EXPECT_FALSE(entry.contains("text")) << entry.dump();
}

// The shipped lesson passes (shipped_scenario_library runs it); here its
// negative control: a worker that writes its parent's pid, keeps its lock
// and leaves its scratch file in /tmp fails each of the three checks.
TEST(FilesCli, ThePidFileLessonCatchesASloppyWorker) {
  Ran r;
  const json run =
      FilesRunOne(std::string(PROCLAB_SOURCE_DIR) + "/scenarios/processes/pid-file.yaml", &r);
  EXPECT_EQ(r.status, 0) << r.out;
  const json bad = [&] {
    TempFolder out;
    const std::string report = out.path() + "/report.json";
    r = Proclab({"run", "--report", "json:" + report, "--program", kFiles + "/pid_file_buggy.c",
                 std::string(PROCLAB_SOURCE_DIR) + "/scenarios/processes/pid-file.yaml"});
    return json::parse(FilesSlurp(report), nullptr, false)["runs"][0];
  }();
  EXPECT_EQ(r.status, 1);
  const auto v = FileVerdicts(bad);
  ASSERT_EQ(v.size(), 3u) << bad.dump(1).substr(0, 2000);
  EXPECT_TRUE(
      v[0].starts_with("✗ no line of worker.pid matched '^{pid:worker}$' (it has 1 line; "
                       "the first: '"))
      << v[0];
  EXPECT_NE(v[0].find("(where {pid:worker} = "), std::string::npos) << v[0];
  EXPECT_EQ(v[1], "✗ worker.lock is still there: a file of 0 bytes, written by the run");
  EXPECT_TRUE(v[2].starts_with("✗ left behind outside its folder: /tmp/proclab-test-scratch-"))
      << v[2];
  RemoveLeftOutside(bad);
}

// A fresh copy of the folder per run: a file the last run wrote cannot pass
// this one. Negative control: with fresh_cwd: false the file stays, and a
// run that writes nothing passes on it, unless written: true is asked.
TEST(FilesCli, EachRunGetsAFreshCopyOfItsFolder) {
  TempFolder dir;
  fs::copy_file(kFiles + "/writer.py", dir.path() + "/writer.py");
  chmod(dir.path().c_str(), 0777);  // the programs' user (nobody) writes there
  auto scenario = [&](const std::string& name, const std::string& args, const std::string& fresh,
                      const std::string& extra) {
    std::ofstream(dir.path() + "/" + name + ".yaml")
        << "scenario: " << name << "\nprogram: [/usr/bin/python3, writer.py" << args
        << "]\nfresh_cwd: " << fresh << "\nexpect:\n  - files: {path: out.txt" << extra << "}\n";
    return dir.path() + "/" + name + ".yaml";
  };
  Ran r;
  EXPECT_EQ(FilesRunOne(scenario("writes", "", "false", ""), &r)["passed"], true) << r.out;
  ASSERT_TRUE(fs::exists(dir.path() + "/out.txt")) << "fresh_cwd: false writes in place";
  json stale = FilesRunOne(scenario("stale", ", --forget", "false", ""), &r);
  EXPECT_EQ(stale["passed"], true) << r.out;
  EXPECT_NE(FileVerdicts(stale)[0].find("there before the run"), std::string::npos);
  json written =
      FilesRunOne(scenario("stale-written", ", --forget", "false", ", written: true"), &r);
  EXPECT_EQ(FileVerdicts(written)[0],
            "✗ out.txt was there before the run, and the run did not change it");
  // With a fresh copy (the default) the file in the folder is still seen (it
  // was copied), but the run's own writes are not kept.
  fs::remove(dir.path() + "/out.txt");
  EXPECT_EQ(FilesRunOne(scenario("fresh", "", "true", ""), &r)["passed"], true) << r.out;
  EXPECT_FALSE(fs::exists(dir.path() + "/out.txt")) << "the run wrote in the scenario's folder";
  json forgot = FilesRunOne(scenario("fresh-forgets", ", --forget", "true", ""), &r);
  EXPECT_EQ(forgot["passed"], false) << "a run saw the file of the run before it";
}

// Grading as root: each job slot's account is the run's own, so what a
// submission leaves in /tmp is removed, and its feedback says so.
TEST(FilesCli, GradingRemovesWhatASubmissionLeftOutside) {
  if (geteuid() != 0) GTEST_SKIP() << "job slots have accounts of their own only as root";
  TempFolder out;
  Ran r = Proclab(
      {"grade", kFiles + "/grade-suite", kFiles + "/grade-class", "--out", out.path(), "-j", "2"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string grades = FilesSlurp(out.path() + "/grades.csv");
  EXPECT_NE(grades.find("tidy,2"), std::string::npos) << grades;
  EXPECT_NE(grades.find("litter,1"), std::string::npos) << grades;
  const std::string feedback = FilesSlurp(out.path() + "/litter/feedback.md");
  const size_t at = feedback.find("left behind outside its folder: /tmp/proclab-test-litter-");
  ASSERT_NE(at, std::string::npos) << feedback;
  EXPECT_NE(feedback.find("(a file of 0 bytes); proclab removed it", at), std::string::npos)
      << feedback;
  // The file is gone, by the path the feedback names.
  const size_t from = feedback.find("/tmp/", at);
  const std::string path = feedback.substr(from, feedback.find(' ', from) - from);
  EXPECT_FALSE(fs::exists(fs::symlink_status(path))) << path << " is still there";
  // Negative control: the tidy submission left nothing, and earned the point.
  const std::string results = FilesSlurp(out.path() + "/results.json");
  EXPECT_NE(results.find("the run left nothing in /tmp"), std::string::npos) << results;
}

}  // namespace
}  // namespace proclab::testing
