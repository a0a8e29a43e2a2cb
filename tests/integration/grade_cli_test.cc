// proclab grade on a class written for the tests (tests/grading/): scores,
// feedback that names the cause, the teacher's summary, and isolation.
#include <errno.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {
namespace fs = std::filesystem;

const std::string kGrading = std::string(PROCLAB_TEST_DATA) + "/grading";

std::string GradeSlurp(const fs::path& p) {
  std::ifstream f(p);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

class OutDir {
 public:
  OutDir() {
    char templ[] = "/tmp/proclab-grade-test-XXXXXX";
    path_ = mkdtemp(templ);
  }
  ~OutDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// submission -> "score flags" from grades.csv
std::map<std::string, std::string> Grades(const std::string& csv) {
  std::map<std::string, std::string> out;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (line.back() == ',') cells.push_back("");
    EXPECT_GE(cells.size(), 5u) << line;
    if (cells.size() < 5) continue;
    out[cells[0]] = cells[1] + (cells.back().empty() ? "" : " " + cells.back());
  }
  return out;
}

// Grading folders in /tmp (proclab-grade-PID, proclab-work-PID-N) whose
// proclab has exited: left behind. Those of a proclab still running belong
// to another test running at the same time (ctest -j), not to a leak.
std::string LeftBehind() {
  std::string out;
  for (const auto& e : fs::directory_iterator("/tmp")) {
    const std::string name = e.path().filename().string();
    std::string rest;
    if (name.starts_with("proclab-work-"))
      rest = name.substr(13);
    else if (name.starts_with("proclab-grade-") && !name.starts_with("proclab-grade-test"))
      rest = name.substr(14);
    else
      continue;
    const pid_t pid = static_cast<pid_t>(atol(rest.c_str()));
    if (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)) continue;
    // Its proclab may have removed it on its way out since the listing.
    if (fs::exists(e.path())) out += name + " was left behind\n";
  }
  return out;
}

// A .expected file: submission -> "scores flags" (# comments, blank lines).
std::map<std::string, std::string> Expected(const std::string& path) {
  std::map<std::string, std::string> expected;
  std::istringstream want(GradeSlurp(path));
  for (std::string line; std::getline(want, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t sp = line.find(' ');
    expected[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return expected;
}

// Every submission graded into `out` got one of its expected scores ("a|b")
// and exactly its expected flags ("*": any); a surprise shows its feedback.
void ExpectGrades(const std::string& out, const std::map<std::string, std::string>& expected) {
  const std::string csv = GradeSlurp(out + "/grades.csv");
  const auto got = Grades(csv);
  ASSERT_EQ(got.size(), expected.size()) << csv;
  for (const auto& [name, want_text] : expected) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(got.count(name));
    std::istringstream w(want_text), g(got.at(name));
    std::string scores, flags, score, got_flags;
    w >> scores >> flags;
    g >> score >> got_flags;
    EXPECT_NE(("|" + scores + "|").find("|" + score + "|"), std::string::npos)
        << score << " is not one of " << scores << "\n"
        << GradeSlurp(out + "/" + name + "/feedback.md");
    if (flags != "*") {
      EXPECT_EQ(got_flags, flags) << GradeSlurp(out + "/" + name + "/feedback.md");
    }
  }
}

TEST(Grade, AClassIsGradedWithPartialCreditAndFeedback) {
  OutDir out;
  Ran r = Proclab(
      {"grade", kGrading + "/dc-suite", kGrading + "/dc-class", "--out", out.path(), "-j", "2"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  ExpectGrades(out.path(), Expected(kGrading + "/dc-class.expected"));

  // A crash shows its cause, in the student's own file names.
  const std::string syntax = GradeSlurp(out.path() + "/syntax_error/feedback.md");
  EXPECT_NE(syntax.find("SyntaxError: '(' was never closed"), std::string::npos) << syntax;
  EXPECT_NE(syntax.find("File \"syntax_error.py\", line 2"), std::string::npos) << syntax;
  EXPECT_EQ(syntax.find("/tmp/proclab-work"), std::string::npos) << syntax;
  // Partial credit is explained expectation by expectation.
  const std::string no_wait = GradeSlurp(out.path() + "/no_wait/feedback.md");
  EXPECT_NE(no_wait.find(" / 10**"), std::string::npos) << no_wait;
  EXPECT_NE(no_wait.find("✗ reaped: {process: conductor, by: driver} (0 / 1)"), std::string::npos)
      << no_wait;
  // A missed line costs its step's points, and the keys after it are still
  // pressed, so what follows is judged on what did happen.
  const std::string swapped = GradeSlurp(out.path() + "/swapped_signals/feedback.md");
  EXPECT_NE(swapped.find("✗ step 4: expect_output '发车了' (0 / 2)"), std::string::npos) << swapped;
  EXPECT_NE(swapped.find("✓ step 6: expect_output '到站了' (2 / 2)"), std::string::npos) << swapped;
  EXPECT_NE(GradeSlurp(out.path() + "/mallory/feedback.md").find("a path outside it: refused"),
            std::string::npos);
  // The teacher's summary: every submission, the most failed expectation first.
  const std::string summary = GradeSlurp(out.path() + "/summary.md");
  EXPECT_NE(summary.find("11 submissions, out of 10 points"), std::string::npos) << summary;
  EXPECT_NE(summary.find("| driver-and-conductor | reaped: {process: conductor, by: driver} |"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("submissions: alice, bob, carol, dave"), std::string::npos) << summary;
  EXPECT_TRUE(fs::exists(out.path() + "/results.json"));
  // Nothing of the grading is left behind.
  EXPECT_EQ(LeftBehind(), "");
}

// The shipped homework suite (scenarios/homework/driver-and-conductor) on a
// class with one submission per bug class, in Python and C
// (tests/grading/homework-class/, each file says its bug).
TEST(Grade, StepsNameProcessesByTheRolesEveryAssignmentShares) {
  OutDir out;
  const std::string suite =
      std::string(PROCLAB_SOURCE_DIR) + "/scenarios/homework/driver-and-conductor/two-keys";
  Ran r = Proclab({"grade", suite, kGrading + "/roles-naming", "--out", out.path()});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string feedback = GradeSlurp(out.path() + "/cp_noarrive/feedback.md");
  EXPECT_NE(feedback.find("role assignment 2 of 2 (conductor: main; driver: child of conductor"),
            std::string::npos)
      << feedback;
  EXPECT_NE(feedback.find("child (pid 3) stdout: arrived"), std::string::npos) << feedback;
  // Negative control: the first assignment's name for pid 3, which the
  // judge did not choose.
  EXPECT_EQ(feedback.find("conductor (pid 3)"), std::string::npos) << feedback;
}

// Two proclab gradings at once (two CI jobs, two teachers on one machine)
// run their programs as accounts of different blocks: the attacker, graded by
// one, cannot overwrite the victim's copy, graded by the other
// (tests/grading/concurrent/). Found in CI, where dc-class's eve.py,
// graded by one test, rewrote another test's submission.
TEST(Grade, TwoGradingsAtOnceCannotReachEachOthersCopies) {
  if (geteuid() != 0) GTEST_SKIP() << "grading uses accounts of its own only as root";
  OutDir victim_out, attacker_out;
  const std::string suite = kGrading + "/concurrent/suite";
  Ran victim;
  std::thread first([&] {
    victim =
        Proclab({"grade", suite, kGrading + "/concurrent/victims", "--out", victim_out.path()});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  Ran attacker =
      Proclab({"grade", suite, kGrading + "/concurrent/attackers", "--out", attacker_out.path()});
  first.join();
  ASSERT_EQ(victim.status, 0) << victim.out << victim.err;
  const std::string attacked = GradeSlurp(attacker_out.path() + "/attacker/feedback.md");
  // The attack was made while the victim's copy existed, and nothing was written.
  EXPECT_NE(attacked.find("saw 1 wrote 0"), std::string::npos) << attacked;
  const std::string feedback = GradeSlurp(victim_out.path() + "/victim/feedback.md");
  EXPECT_NE(feedback.find("Score: **1 / 1**"), std::string::npos) << feedback;
}

TEST(Grade, TheShippedHomeworkSuiteGradesOneSubmissionPerBugClass) {
  OutDir out;
  const std::string suite =
      std::string(PROCLAB_SOURCE_DIR) + "/scenarios/homework/driver-and-conductor/two-keys";
  Ran check = Proclab({"check", suite});
  ASSERT_EQ(check.status, 0) << check.out << check.err;
  Ran r = Proclab({"grade", suite, kGrading + "/homework-class", "--out", out.path(), "-j", "2"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  ExpectGrades(out.path(), Expected(kGrading + "/homework-class.expected"));

  // Either process may be the parent: the conductor as the parent earns full
  // marks, and its feedback says which role assignment it was judged with.
  const std::string parent = GradeSlurp(out.path() + "/conductor_parent/feedback.md");
  EXPECT_NE(parent.find("Score: **10 / 10**"), std::string::npos) << parent;
  EXPECT_NE(parent.find("Roles: judged with role assignment 2 of 2 (conductor: main; driver: "),
            std::string::npos)
      << parent;
  // The C version is built by grade.yaml's build: and earns full marks as the
  // first assignment (the driver as the parent).
  const std::string c = GradeSlurp(out.path() + "/correct_c/feedback.md");
  EXPECT_NE(c.find("Graded file: `correct_c.c`"), std::string::npos) << c;
  EXPECT_NE(c.find("Score: **10 / 10**"), std::string::npos) << c;
  EXPECT_NE(c.find("Roles: judged with role assignment 1 of 2 (driver: main;"), std::string::npos)
      << c;
  const auto results = nlohmann::json::parse(GradeSlurp(out.path() + "/results.json"));
  for (const auto& sub : results["submissions"]) {
    if (sub["submission"] == "conductor_parent") {
      EXPECT_NE(sub["scenarios"][0]["roles"].get<std::string>().find("assignment 2 of 2"),
                std::string::npos);
    }
  }

  // Diagnoses a student can act on.
  const std::string crash = GradeSlurp(out.path() + "/crash_at_start/feedback.md");
  EXPECT_NE(crash.find("NameError: name 'sigal' is not defined"), std::string::npos) << crash;
  EXPECT_NE(crash.find("File \"crash_at_start.py\", line 17"), std::string::npos) << crash;
  const std::string syntax = GradeSlurp(out.path() + "/syntax_error/feedback.md");
  EXPECT_NE(syntax.find("SyntaxError: expected ':'"), std::string::npos) << syntax;
  const std::string sigint = GradeSlurp(out.path() + "/sigint_not_ignored/feedback.md");
  EXPECT_NE(sigint.find("signal.signal(signal.SIGINT, signal.SIG_IGN) ignores it"),
            std::string::npos)
      << sigint;
  const std::string killed = GradeSlurp(out.path() + "/sigkill_conductor/feedback.md");
  EXPECT_NE(killed.find("✗ exit: {process: child} (0 / 0.5)"), std::string::npos) << killed;
  EXPECT_NE(killed.find("was killed by SIGKILL from driver"), std::string::npos) << killed;
  const std::string zombie = GradeSlurp(out.path() + "/zombie_left/feedback.md");
  EXPECT_NE(zombie.find("✗ reaped: {process: child, by: main} (0 / 1)"), std::string::npos)
      << zombie;
  // Swapped handlers: the missed line costs its 2 points, the next key is
  // still pressed and its line still counts.
  const std::string swapped = GradeSlurp(out.path() + "/swapped_handlers/feedback.md");
  EXPECT_NE(swapped.find("✗ step 3: expect_output"), std::string::npos) << swapped;
  EXPECT_NE(swapped.find("✓ step 5: expect_output '到站了' (2 / 2)"), std::string::npos) << swapped;
  const std::string summary = GradeSlurp(out.path() + "/summary.md");
  EXPECT_NE(summary.find("14 submissions, out of 10 points"), std::string::npos) << summary;
  EXPECT_EQ(LeftBehind(), "");
}

TEST(Grade, ASuiteWithoutGradeYamlOrWithAMistakeIsRefused) {
  OutDir out;
  Ran none = Proclab({"grade", std::string(PROCLAB_SOURCE_DIR) + "/scenarios/processes",
                      kGrading + "/dc-class", "--out", out.path()});
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.err.find("has no grade.yaml"), std::string::npos) << none.err;

  const fs::path suite = fs::path(out.path()) / "suite";
  fs::create_directories(suite);
  fs::copy_file(kGrading + "/dc-suite/driver-and-conductor.yaml", suite / "dc.yaml");
  std::ofstream(suite / "grade.yaml") << "entry: [main.py]\nrounding: 0.5\nhiden: [x]\n";
  Ran typo = Proclab({"grade", suite.string(), kGrading + "/dc-class", "--out", out.path()});
  EXPECT_EQ(typo.status, 2);
  EXPECT_NE(typo.err.find("grade.yaml:3:1"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("hidden"), std::string::npos) << typo.err;
}

// Checks `doc` against a field list written from a platform's published
// format: every field known, of its type or one of its values; the required
// ones present. Returns what is wrong, one line each.
std::string AgainstFields(const nlohmann::json& doc, const nlohmann::json& fields) {
  std::string wrong;
  auto check = [&](const nlohmann::json& obj, const nlohmann::json& known,
                   const nlohmann::json& required, const std::string& where) {
    if (!obj.is_object()) {
      wrong += where + " is not an object\n";
      return;
    }
    for (const auto& key : required)
      if (!obj.contains(key.get<std::string>())) wrong += where + " lacks " + key.dump() + "\n";
    for (const auto& [key, value] : obj.items()) {
      if (!known.contains(key)) {
        wrong += where + "." + key + " is not in the format\n";
        continue;
      }
      const auto& spec = known[key];
      const bool ok = spec.is_array()    ? std::find(spec.begin(), spec.end(), value) != spec.end()
                      : spec == "number" ? value.is_number()
                      : spec == "string" ? value.is_string()
                      : spec == "array"  ? value.is_array()
                      : spec == "object" ? value.is_object()
                                         : false;
      if (!ok)
        wrong += where + "." + key + " = " + value.dump() + " does not fit " + spec.dump() + "\n";
    }
  };
  check(doc, fields["top"], fields["top_required"], "results");
  for (const auto& t : doc.value("tests", nlohmann::json::array()))
    check(t, fields["test"], fields["test_required"], "tests[]");
  return wrong;
}

std::string FromBase64(const std::string& in) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int n = 0;
  for (char c : in) {
    const size_t v = alphabet.find(c);
    if (v == std::string::npos) continue;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if ((n += 6) >= 8) {
      n -= 8;
      out += static_cast<char>((bits >> n) & 0xff);
    }
  }
  return out;
}

// Gradescope's container: one submission, results.json in its published
// format, hidden tests hidden until published; tested in subreaper mode as
// those containers may refuse namespaces.
TEST(Grade, GradescopeResultsFitThePublishedFormat) {
  OutDir out;
  const fs::path suite = fs::path(out.path()) / "suite";
  fs::create_directories(suite);
  fs::copy_file(kGrading + "/dc-suite/driver-and-conductor.yaml", suite / "dc.yaml");
  std::ofstream(suite / "grade.yaml") << "hidden: [driver-and-conductor]\n";
  const std::string results = out.path() + "/results/results.json";
  Ran r = Proclab({"grade", suite.string(), kGrading + "/dc-class/syntax_error.py", "--report",
                   "gradescope:" + results, "--isolation", "subreaper"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const auto doc = nlohmann::json::parse(GradeSlurp(results), nullptr, false);
  const auto fields =
      nlohmann::json::parse(GradeSlurp(kGrading + "/formats/gradescope.fields.json"));
  EXPECT_EQ(AgainstFields(doc, fields), "") << doc.dump(2);
  EXPECT_EQ(doc["score"], 0);
  ASSERT_EQ(doc["tests"].size(), 1u);
  EXPECT_EQ(doc["tests"][0]["max_score"], 10);
  EXPECT_EQ(doc["tests"][0]["visibility"], "after_published");
  // Negative control: the checker refuses what the format does not allow.
  nlohmann::json bad = doc;
  bad["tests"][0]["visibility"] = "students";
  bad["tests"][0].erase("max_score");
  EXPECT_NE(AgainstFields(bad, fields), "");
}

// GitHub Classroom: `result=BASE64` appended to $GITHUB_OUTPUT.
TEST(Grade, ClassroomPayloadFitsThePublishedFormat) {
  OutDir out;
  const std::string output = out.path() + "/github_output";
  std::ofstream(output) << "earlier=1\n";
  setenv("GITHUB_OUTPUT", output.c_str(), 1);
  Ran r = Proclab(
      {"grade", kGrading + "/dc-suite", kGrading + "/dc-class/alice", "--report", "classroom"});
  unsetenv("GITHUB_OUTPUT");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string text = GradeSlurp(output);
  const size_t at = text.find("\nresult=");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string payload = text.substr(at + 8, text.find('\n', at + 1) - at - 8);
  const auto doc = nlohmann::json::parse(FromBase64(payload), nullptr, false);
  const auto fields =
      nlohmann::json::parse(GradeSlurp(kGrading + "/formats/classroom.fields.json"));
  EXPECT_EQ(AgainstFields(doc, fields), "") << doc.dump(2);
  EXPECT_EQ(doc["status"], "pass");
  EXPECT_EQ(doc["max_score"], 10);
  EXPECT_EQ(doc["tests"][0]["score"], 10);
}

}  // namespace
}  // namespace proclab::testing
