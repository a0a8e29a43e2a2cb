// proclab run / check / list end to end, on hand-written scenario files
// (tests/scenarios/) and on the shipped library.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pugixml.hpp>

#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {

std::string Scn(const std::string& name) {
  return std::string(PROCLAB_TEST_DATA) + "/scenarios/" + name;
}
std::string Library() { return std::string(PROCLAB_SOURCE_DIR) + "/scenarios"; }

TEST(RunCli, DesignExamplePasses) {
  Ran r = Proclab({"run", Scn("design-zombie.yaml")});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("✓ zombie-creation"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 run: 1 passed, 0 failed"), std::string::npos) << r.out;
}

TEST(RunCli, NegativeControlFailsWithReasons) {
  Ran r = Proclab({"run", Scn("design-zombie-wrong.yaml")});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("exited with code 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not 7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("was gone"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("design-zombie-wrong.yaml:12"), std::string::npos) << r.out;
}

TEST(RunCli, BadFileIsRefusedWithItsPlace) {
  Ran r = Proclab({"run", Scn("bad-key.yaml")});
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("bad-key.yaml:6:27: error: unknown key 'exitcode'"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("did you mean 'code'?"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("^"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was run"), std::string::npos) << r.err;
  // check says the same without running; a good file checks clean.
  EXPECT_EQ(Proclab({"check", Scn("bad-key.yaml")}).status, 2);
  Ran ok = Proclab({"check", Scn("design-zombie.yaml")});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("1 scenario OK"), std::string::npos);
}

TEST(RunCli, StepsFeedAndWatchAProgram) {
  EXPECT_EQ(Proclab({"run", Scn("stdin-steps.yaml")}).status, 0);
  EXPECT_EQ(Proclab({"run", Scn("handler-actions.yaml")}).status, 0);
  EXPECT_EQ(Proclab({"run", Scn("loop-and-children.yaml")}).status, 0);
  Ran prompt = Proclab({"run", Scn("prompt.yaml")});
  EXPECT_EQ(prompt.status, 0) << prompt.out;
  Ran nobody = Proclab({"run", Scn("wait-for-nobody.yaml")});
  EXPECT_EQ(nobody.status, 0) << nobody.out;
  Ran never = Proclab({"run", Scn("expect-output-timeout.yaml")});
  EXPECT_EQ(never.status, 1);
  EXPECT_NE(never.out.find("no line matching '^three$' was printed within 500ms"),
            std::string::npos)
      << never.out;
  EXPECT_NE(never.out.find("stdout: two"), std::string::npos) << never.out;  // the tail
}

TEST(RunCli, ExpectOutputMatchesWholeLinesUnlessPartial) {
  EXPECT_EQ(Proclab({"run", Scn("prompt.yaml")}).status, 0);
  Ran whole = Proclab({"run", Scn("prompt-whole-lines.yaml")});
  EXPECT_EQ(whole.status, 1) << whole.out;
  EXPECT_NE(whole.out.find("no line matching '^name\\? $' was printed within 700ms"),
            std::string::npos)
      << whole.out;
}

// Pacing: a key waits until the program has finished printing and rests.
TEST(RunCli, KeysWaitUntilTheProgramRests) {
  Ran paced = Proclab({"run", Scn("pacing.yaml")});
  EXPECT_EQ(paced.status, 0) << paced.out;
  // Negative control: unpaced, the same key lands mid-print.
  Ran unpaced = Proclab({"run", Scn("pacing-off.yaml")});
  EXPECT_EQ(unpaced.status, 1) << unpaced.out;
  EXPECT_NE(unpaced.out.find("✗ order"), std::string::npos) << unpaced.out;
}

TEST(RunCli, ABusyProgramGetsItsKeyAfterTheCapWithANote) {
  const std::string report = ::testing::TempDir() + "/pacing-busy.json";
  Ran r = Proclab({"run", Scn("pacing-busy.yaml"), "--report", "json:" + report});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  std::ifstream f(report);
  const std::string json((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(json.find("without the program settling: main (pid "), std::string::npos) << json;
  EXPECT_NE(json.find("kept running"), std::string::npos) << json;
}

TEST(RunCli, RolesFollowBehaviourWhenAlternativesAreListed) {
  Ran chosen = Proclab({"run", Scn("roles-alternatives.yaml")});
  EXPECT_EQ(chosen.status, 0) << chosen.out;
  Ran fixed = Proclab({"run", Scn("roles-fixed.yaml")});
  EXPECT_EQ(fixed.status, 1) << fixed.out;
  EXPECT_NE(fixed.out.find("✗ output: {match: \"^driver$\", by: driver}"), std::string::npos)
      << fixed.out;
}

TEST(RunCli, CtrlZReallyStopsAProgramOnTheTerminal) {
  Ran r = Proclab({"run", Scn("tty-stop.yaml")});
  EXPECT_EQ(r.status, 0) << r.out;
}

TEST(RunCli, JunitReportIsValidXml) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("proclab-junit-" + std::to_string(getpid()) + ".xml");
  Ran r = Proclab({"run", "--report", "junit:" + path, "--report", "console",
                   Scn("design-zombie.yaml"), Scn("design-zombie-wrong.yaml")});
  EXPECT_EQ(r.status, 1);
  pugi::xml_document doc;
  auto parsed = doc.load_file(path.c_str());
  std::filesystem::remove(path);
  ASSERT_TRUE(parsed) << parsed.description();
  auto suite = doc.child("testsuites").child("testsuite");
  EXPECT_EQ(suite.attribute("tests").as_int(), 2);
  EXPECT_EQ(suite.attribute("failures").as_int(), 1);
  int failures = 0;
  for (auto tc : suite.children("testcase")) {
    if (auto f = tc.child("failure")) {
      ++failures;
      EXPECT_STREQ(tc.attribute("name").value(), "zombie-creation-wrong");
      EXPECT_NE(std::string(f.child_value()).find("exited with code 3"), std::string::npos);
    }
  }
  EXPECT_EQ(failures, 1);
}

TEST(RunCli, FilterTagRepeatAndList) {
  Ran list = Proclab({"list", Library()});
  EXPECT_EQ(list.status, 0);
  EXPECT_NE(list.out.find("zombie-creation"), std::string::npos);
  EXPECT_NE(list.out.find("[processes, zombie]"), std::string::npos) << list.out;
  Ran filtered = Proclab({"run", "--filter", "zombie-*", "--repeat", "3", Library()});
  EXPECT_EQ(filtered.status, 0) << filtered.out;
  EXPECT_NE(filtered.out.find("3 runs: 3 passed"), std::string::npos) << filtered.out;
  Ran none = Proclab({"run", "--tag", "no-such-tag", Library()});
  EXPECT_EQ(none.status, 2);
}

TEST(RunCli, ProgramOverrideGradesAnotherImplementation) {
  const std::string dir = Library() + "/signals/driver-and-conductor";
  EXPECT_EQ(Proclab({"run", dir}).status, 0);
  struct Bug {
    const char* file;
    const char* says;
  };
  const Bug bugs[] = {
      // Python runs its SIGINT handler (KeyboardInterrupt) and the conductor's
      // SIGUSR1 in either order, so the driver dies of SIGINT or lives on
      // until Ctrl-\; both stories start here.
      {"no_sigint_ignore.py",
       "expected driver to ignore SIGINT from the terminal; driver (pid 2) got SIGINT from "
       "the terminal"},
      // A missed line no longer ends the run: the next key is still pressed.
      {"swapped_signals.py",
       "step 4 (expect_output '发车了'): no line matching '发车了' by driver was printed within "
       "2s; the steps went on"},
      {"no_wait.py", "after driver (pid 2) exited without waiting for it"},
      {"handlers_in_child.py", "was killed by it (no handler was installed)"},
  };
  for (const Bug& b : bugs) {
    Ran r = Proclab({"run", dir, "--program", "python3 " + dir + "/buggy/" + b.file});
    EXPECT_EQ(r.status, 1) << b.file << "\n" << r.out;
    EXPECT_NE(r.out.find(b.says), std::string::npos) << b.file << "\n" << r.out;
  }
}

// A missed expect_output is recorded and the steps go on; `required: true`
// makes the same miss end the run (the negative control).
TEST(RunCli, AMissedLineGoesOnUnlessRequired) {
  char templ[] = "/tmp/proclab-steps-XXXXXX";
  const std::string dir = mkdtemp(templ);
  for (const char* required : {"false", "true"}) {
    SCOPED_TRACE(required);
    const std::string file = dir + "/s.yaml";
    std::ofstream(file) << "scenario: steps-go-on\n"
                           "program: [/bin/sh, -c, 'read x; echo got $x']\n"
                           "steps:\n"
                           "  - expect_output: {match: never, within: 200ms, required: "
                        << required
                        << "}\n"
                           "  - stdin: \"hello\\n\"\n"
                           "expect:\n"
                           "  - output: {match: got hello, by: main}\n";
    Ran r = Proclab({"run", file});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    if (std::string(required) == "false") {
      EXPECT_NE(r.out.find("the steps went on"), std::string::npos) << r.out;
      EXPECT_NE(r.out.find("3 other expectations held"), std::string::npos) << r.out;
    } else {
      EXPECT_EQ(r.out.find("the steps went on"), std::string::npos) << r.out;
      EXPECT_NE(r.out.find("✗ output: {match: \"got hello\", by: main}"), std::string::npos)
          << r.out;
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace proclab::testing
