// proclab grade, run again into the same --out DIR: only the pairs whose
// inputs changed run; everything else comes from DIR/.cache and the
// gradebook's files are byte for byte those of the run that made them.
// Every program of the class leaves a file in a log folder outside its copy,
// so the tests count the runs and builds a grading really made.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {
namespace fs = std::filesystem;

std::string ResumeSlurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

// A program of the class: logs that it ran, says hello (or not) and exits.
std::string Program(const std::string& log, const std::string& name, bool hello, int code) {
  return fmt::format(R"(import os, sys, tempfile, time
scenario = os.environ.get('SCENARIO', '?')
tempfile.mkstemp(dir='{0}', prefix='run.' + scenario + '.{1}.')
if scenario == 'a' and os.path.exists('{0}/slow.{1}'):
    time.sleep(60)
print('{2} from {1}')
sys.exit({3})
)",
                     log, name, hello ? "hello" : "bye", code);
}

// A scenario's part of a feedback.md: from its "## ✓ NAME" heading to the next.
std::string ScenarioPart(const std::string& feedback, const std::string& scenario) {
  size_t at = feedback.find("✓ " + scenario + " — ");
  if (at == std::string::npos) at = feedback.find("✗ " + scenario + " — ");
  if (at == std::string::npos) return "";
  return feedback.substr(at, feedback.find("\n## ", at) - at);
}

std::string Scenario(const std::string& name, const std::string& extra = "") {
  return fmt::format(R"(scenario: {0}
points: 4
timeout: 90s
program: [/usr/bin/python3, main.py]
env: {{SCENARIO: {0}}}
expect:
  - output: {{match: 'hello from .*', by: main}}
  - exit: {{process: main, code: 0}}
)",
                     name) +
         extra;
}

// A suite of two scenarios (a, b) and a class: ana (right), ben (exits 1),
// cam (says nothing), dan (right, in a .tar.gz) and fay (no entry file). The
// build of each Python submission logs too. Each prints a line, so no run
// is made again on a terminal to look for output lost in a buffer.
class Class {
 public:
  Class() {
    char templ[] = "/tmp/proclab-resume-test-XXXXXX";
    root_ = mkdtemp(templ);
    // Programs run as accounts of their own when the tests run as root.
    fs::permissions(root_, fs::perms::others_exec | fs::perms::group_exec, fs::perm_options::add);
    log_ = (root_ / "log").string();
    fs::create_directory(log_);
    fs::permissions(log_, fs::perms::all);
    Write(suite() / "grade.yaml",
          "entry: ['*.py']\nbuild:\n  py: \"mktemp " + log_ + "/build.XXXXXXXX >/dev/null\"\n");
    Write(suite() / "a.yaml", Scenario("a"));
    Write(suite() / "b.yaml", Scenario("b"));
    Write(submissions() / "ana.py", Program(log_, "ana", true, 0));
    Write(submissions() / "ben.py", Program(log_, "ben", true, 1));
    Write(submissions() / "cam" / "main.py", Program(log_, "cam", false, 0));
    Write(submissions() / "fay" / "README", "I did not do it\n");
    Write(root_ / "dan" / "main.py", Program(log_, "dan", true, 0));
    Tar("dan");
  }
  ~Class() { fs::remove_all(root_); }

  fs::path suite() const { return root_ / "suite"; }
  fs::path submissions() const { return root_ / "class"; }
  std::string out() const { return (root_ / "grades").string(); }
  fs::path cache() const { return root_ / "grades" / ".cache"; }
  const std::string& log() const { return log_; }

  // class/NAME.tar.gz from the folder NAME.
  void Tar(const std::string& name) const {
    Ran r = Execute({"/bin/tar", "-czf", (submissions() / (name + ".tar.gz")).string(), "-C",
                     (root_ / name).string(), "."});
    ASSERT_EQ(r.status, 0) << r.err;
  }

  Ran Grade(std::vector<std::string> more = {}) const {
    std::vector<std::string> args = {
        "grade", suite().string(), submissions().string(), "--out", out(), "-j", "2"};
    args.insert(args.end(), more.begin(), more.end());
    return Proclab(args);
  }

  // Runs (or builds) logged since the last call.
  int NewRuns() { return Count("run.", runs_seen_); }
  int NewBuilds() { return Count("build.", builds_seen_); }

  // Every file of the gradebook but the cache: relative path -> content.
  std::map<std::string, std::string> Files() const {
    std::map<std::string, std::string> out;
    for (auto it = fs::recursive_directory_iterator(this->out());
         it != fs::recursive_directory_iterator(); ++it) {
      if (it->path().filename() == ".cache") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file())
        out[it->path().lexically_relative(this->out()).string()] = ResumeSlurp(it->path());
    }
    return out;
  }

  // The cache's entries for pairs (not builds).
  std::vector<fs::path> PairEntries() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(cache()))
      if (ResumeSlurp(e.path()).find("\n{\"runs\":") != std::string::npos) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  int Count(const std::string& prefix, int& seen) const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(log_))
      n += e.path().filename().string().starts_with(prefix);
    const int fresh = n - seen;
    seen = n;
    return fresh;
  }

  fs::path root_;
  std::string log_;
  int runs_seen_ = 0, builds_seen_ = 0;
};

TEST(GradeResume, ARerunRunsOnlyWhatChangedAndWritesTheSameGradebook) {
  Class c;
  Ran first = c.Grade();
  ASSERT_EQ(first.status, 0) << first.out << first.err;
  EXPECT_EQ(c.NewRuns(), 8);  // 4 submissions with an entry × 2 scenarios
  EXPECT_EQ(c.NewBuilds(), 4);
  const auto full = c.Files();
  EXPECT_NE(full.at("grades.csv").find("ana,8,8,4,4,"), std::string::npos) << full.at("grades.csv");
  EXPECT_NE(full.at("grades.csv").find("ben,4,8,2,2,crashed"), std::string::npos)
      << full.at("grades.csv");

  // Nothing changed: nothing runs or builds, and every file is the same.
  Ran again = c.Grade();
  ASSERT_EQ(again.status, 0) << again.out << again.err;
  EXPECT_EQ(c.NewRuns(), 0);
  EXPECT_EQ(c.NewBuilds(), 0);
  EXPECT_NE(again.out.find("5 submissions × 2 scenarios: 8 reused from a previous run, 0 to run, "
                           "2 not run (no entry, a refused archive or a failed build) (--force "
                           "redoes them)"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(again.err, "");
  EXPECT_EQ(c.Files(), full);

  // An archive made again, with the same files at other times: unchanged.
  const std::string archive = ResumeSlurp(c.submissions() / "dan.tar.gz");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  fs::last_write_time(fs::path(c.out()).parent_path() / "dan" / "main.py",
                      fs::file_time_type::clock::now());
  c.Tar("dan");
  ASSERT_NE(ResumeSlurp(c.submissions() / "dan.tar.gz"), archive);  // control: other bytes
  ASSERT_EQ(c.Grade().status, 0);
  EXPECT_EQ(c.NewRuns(), 0);
  EXPECT_EQ(c.Files(), full);

  // One student resubmits: only their two pairs run, and their build.
  Write(c.submissions() / "ben.py", Program(c.log(), "ben", true, 0));
  Ran fixed = c.Grade();
  ASSERT_EQ(fixed.status, 0) << fixed.out << fixed.err;
  EXPECT_EQ(c.NewRuns(), 2);
  EXPECT_EQ(c.NewBuilds(), 1);
  EXPECT_NE(fixed.out.find("6 reused from a previous run, 2 to run"), std::string::npos)
      << fixed.out;
  const auto after_ben = c.Files();
  EXPECT_NE(after_ben.at("grades.csv").find("ben,8,8,4,4,"), std::string::npos)
      << after_ben.at("grades.csv");
  for (const char* f : {"ana/feedback.md", "cam/feedback.md", "dan/feedback.md"})
    EXPECT_EQ(after_ben.at(f), full.at(f)) << f;
  EXPECT_NE(after_ben.at("ben/feedback.md"), full.at("ben/feedback.md"));  // control

  // The teacher fixes one scenario: only its pairs run. Their submissions
  // are built again: a run needs the built folder, which is not kept.
  Write(c.suite() / "b.yaml", Scenario("b", "  - no_zombies\n"));
  Ran scenario = c.Grade();
  ASSERT_EQ(scenario.status, 0) << scenario.out << scenario.err;
  EXPECT_EQ(c.NewRuns(), 4);
  EXPECT_EQ(c.NewBuilds(), 4);
  const auto after_b = c.Files();
  for (const char* f : {"ana/feedback.md", "ben/feedback.md", "cam/feedback.md"}) {
    EXPECT_EQ(ScenarioPart(after_b.at(f), "a"), ScenarioPart(after_ben.at(f), "a")) << f;
    EXPECT_NE(ScenarioPart(after_b.at(f), "b"), ScenarioPart(after_ben.at(f), "b")) << f;
  }

  // --force runs and builds everything again.
  Ran forced = c.Grade({"--force"});
  ASSERT_EQ(forced.status, 0) << forced.out << forced.err;
  EXPECT_EQ(c.NewRuns(), 8);
  EXPECT_EQ(c.NewBuilds(), 4);
  EXPECT_NE(forced.out.find("8 to run"), std::string::npos) << forced.out;
  // A file the rest of the suite holds (a program a scenario may name) counts for every pair.
  Write(c.suite() / "data.txt", "input\n");
  ASSERT_EQ(c.Grade().status, 0);
  EXPECT_EQ(c.NewRuns(), 8);
  // So do the options that change a run.
  ASSERT_EQ(c.Grade({"--repeat", "2"}).status, 0);
  EXPECT_EQ(c.NewRuns(), 16);
}

TEST(GradeResume, ADamagedForeignOrUnwritableCacheCostsRerunsNeverAWrongGrade) {
  Class c;
  ASSERT_EQ(c.Grade().status, 0);
  EXPECT_EQ(c.NewRuns(), 8);
  const std::string grades = ResumeSlurp(fs::path(c.out()) / "grades.csv");
  const std::string feedback = ResumeSlurp(fs::path(c.out()) / "cam" / "feedback.md");
  auto entries = c.PairEntries();
  ASSERT_EQ(entries.size(), 8u);

  // One entry's score changed by hand, another made by "another build".
  std::string damaged = ResumeSlurp(entries[0]);
  const size_t score = damaged.find("\"score\":", damaged.find("\"score\":{") + 9);
  ASSERT_NE(score, std::string::npos) << damaged;
  damaged.insert(score + 8, "1");
  Write(entries[0], damaged);
  std::string foreign = ResumeSlurp(entries[1]);
  foreign.replace(foreign.find("build-id:"), 9, "build-id:0");
  Write(entries[1], foreign);
  Ran r = c.Grade();
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(c.NewRuns(), 2);
  EXPECT_NE(
      r.err.find(entries[0].filename().string() + ": its content does not match its checksum"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("1 cached result in " + c.cache().string() +
                       " cannot be used (another proclab build wrote it"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(ResumeSlurp(fs::path(c.out()) / "grades.csv"), grades);
  // They were replaced: the next grading runs nothing.
  ASSERT_EQ(c.Grade().status, 0);
  EXPECT_EQ(c.NewRuns(), 0);

  // A cache that cannot be written: everything runs, with a notice, and
  // the grades are right.
  fs::remove_all(c.cache());
  Write(c.cache(), "not a folder");
  for (int i = 0; i < 2; ++i) {
    Ran u = c.Grade();
    ASSERT_EQ(u.status, 0) << u.out << u.err;
    EXPECT_EQ(c.NewRuns(), 8);
    EXPECT_NE(u.err.find("nothing will be reused or cached"), std::string::npos) << u.err;
    EXPECT_EQ(ResumeSlurp(fs::path(c.out()) / "grades.csv"), grades)
        << feedback << ResumeSlurp(fs::path(c.out()) / "cam" / "feedback.md");
  }
}

// Ctrl-C in the middle: the pairs that finished are in the cache, and the
// next grading runs only the one that was cut short.
TEST(GradeResume, AnInterruptedGradingKeepsWhatFinished) {
  Class c;
  Write(c.log() + "/slow.ana", "");  // ana's scenario a sleeps a minute
  const std::string out_file = c.out() + ".stdout";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    freopen(out_file.c_str(), "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(PROCLAB_BINARY, PROCLAB_BINARY, "grade", c.suite().c_str(), c.submissions().c_str(),
          "--out", c.out().c_str(), "-j", "2", static_cast<char*>(nullptr));
    _exit(126);
  }
  // 4 builds and 7 of the 8 pairs stored, each as it finished.
  auto entries = [&] {
    std::error_code ec;
    int n = 0;
    for (auto it = fs::directory_iterator(c.cache(), ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      n += it->path().extension() == ".entry";
    return n;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(50);
  while (entries() < 11 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(entries(), 11);
  kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130) << status << ResumeSlurp(out_file);
  EXPECT_EQ(c.NewRuns(), 8);

  fs::remove(c.log() + "/slow.ana");
  Ran r = c.Grade();
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(c.NewRuns(), 1);
  EXPECT_NE(r.out.find("7 reused from a previous run, 1 to run"), std::string::npos) << r.out;
  EXPECT_NE(ResumeSlurp(fs::path(c.out()) / "grades.csv").find("ana,8,8,4,4,"), std::string::npos);
}

}  // namespace
}  // namespace proclab::testing
