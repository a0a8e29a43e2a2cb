// The YAML loader: golden tests of its errors, and the docs/design.md §3 examples.
//
// Every tests/golden/loader/NAME.yaml is a scenario with one mistake. It must
// fail to load, and RenderDiagnostic(error) must equal NAME.expected byte for
// byte (file:line:column, message, source line, caret line).
//
// Paths: each file is loaded as "golden/loader/NAME.yaml" while the working
// directory is PROCLAB_TEST_DATA (the tests/ folder), so the golden text names
// that relative path and never a machine-specific absolute one. The previous
// working directory is restored after each case.
//
// Regenerating: after an intended change of wording, run
//   PROCLAB_UPDATE_GOLDEN=1 proclab_unit_tests --gtest_filter='Loader/YamlLoaderGolden.*'
// which rewrites every NAME.expected from the current output (the cases then
// pass); review `git diff tests/golden/loader` before committing.
#include "runner/scenario/yaml_front_end.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "runner/base/diagnostic.h"
#include "runner/base/signal_names.h"

namespace proclab {
namespace {

namespace fs = std::filesystem;

const fs::path kTestData = PROCLAB_TEST_DATA;
constexpr const char* kGoldenDir = "golden/loader";  // relative to kTestData

bool UpdateGolden() {
  const char* v = std::getenv("PROCLAB_UPDATE_GOLDEN");
  return v && std::string_view(v) == "1";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Splits on '\n'; a final line without '\n' is kept, and marked by the caller.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    out.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// Empty when `actual` equals `expected`; otherwise a report that shows both in
// full and points at the first line that differs, for a reviewer to judge.
std::string GoldenMismatch(std::string_view expected, std::string_view actual) {
  if (expected == actual) return {};
  std::vector<std::string> e = Lines(expected), a = Lines(actual);
  size_t i = 0;
  while (i < e.size() && i < a.size() && e[i] == a[i]) ++i;
  std::ostringstream out;
  if (i == e.size() && i == a.size()) {
    out << "the texts differ only in their final newline (expected "
        << (expected.ends_with('\n') ? "one" : "none") << ")\n";
  } else {
    out << "first difference at line " << i + 1 << ":\n"
        << "  expected: " << (i < e.size() ? "'" + e[i] + "'" : "(no line)") << "\n"
        << "  actual:   " << (i < a.size() ? "'" + a[i] + "'" : "(no line)") << "\n";
  }
  out << "--- expected ---\n"
      << expected << (expected.ends_with('\n') ? "" : "\n") << "--- actual ---\n"
      << actual << (actual.ends_with('\n') ? "" : "\n") << "---\n";
  return out.str();
}

// Sets the working directory for one scope; the old one comes back after.
class ScopedCwd {
 public:
  explicit ScopedCwd(const fs::path& dir) : old_(fs::current_path()) { fs::current_path(dir); }
  ~ScopedCwd() {
    std::error_code ec;
    fs::current_path(old_, ec);
  }
  ScopedCwd(const ScopedCwd&) = delete;
  ScopedCwd& operator=(const ScopedCwd&) = delete;

 private:
  fs::path old_;
};

// The stems of every golden/loader/*.yaml, sorted so runs are repeatable.
std::vector<std::string> GoldenCases() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kTestData / kGoldenDir, ec))
    if (entry.path().extension() == ".yaml") out.push_back(entry.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

// ---------------------------------------------------------------------------
// The comparison helper itself: a harness that cannot fail proves nothing.

TEST(YamlLoaderGoldenHarness, EqualTextsMatch) {
  EXPECT_EQ(
      GoldenMismatch("a:1:1: error: x\n 1 | y\n   | ^\n", "a:1:1: error: x\n 1 | y\n   | ^\n"), "");
  EXPECT_EQ(GoldenMismatch("", ""), "");
}

TEST(YamlLoaderGoldenHarness, DetectsAWrongExpectedFile) {
  // A deliberately wrong .expected: the column is off by one.
  const std::string expected =
      "golden/loader/x.yaml:3:5: error: unknown key 'descripton' in a scenario\n";
  const std::string actual =
      "golden/loader/x.yaml:3:1: error: unknown key 'descripton' in a scenario\n";
  std::string report = GoldenMismatch(expected, actual);
  ASSERT_NE(report, "");
  EXPECT_NE(report.find("first difference at line 1"), std::string::npos) << report;
  EXPECT_NE(report.find("--- expected ---\n" + expected), std::string::npos) << report;
  EXPECT_NE(report.find("--- actual ---\n" + actual), std::string::npos) << report;
}

TEST(YamlLoaderGoldenHarness, DetectsMissingAndExtraLines) {
  EXPECT_NE(GoldenMismatch("a\nb\n", "a\n"), "");
  EXPECT_NE(GoldenMismatch("a\n", "a\nb\n"), "");
  EXPECT_NE(GoldenMismatch("a\n", ""), "");
  std::string report = GoldenMismatch("a\n 1 | x\n", "a\n");
  EXPECT_NE(report.find("line 2"), std::string::npos) << report;
  EXPECT_NE(report.find("(no line)"), std::string::npos) << report;
}

TEST(YamlLoaderGoldenHarness, DetectsWhitespaceOnlyDifferences) {
  EXPECT_NE(GoldenMismatch("a\n", "a"), "");
  EXPECT_NE(GoldenMismatch("a\n", "a\n\n"), "");
  EXPECT_NE(GoldenMismatch("   | ^\n", "   |  ^\n"), "");  // a caret one column off
  EXPECT_NE(GoldenMismatch("\t^\n", "        ^\n"), "");
  std::string report = GoldenMismatch("a\n", "a");
  EXPECT_NE(report.find("final newline"), std::string::npos) << report;
}

// ---------------------------------------------------------------------------
// The golden files.

TEST(YamlLoaderGoldenSet, HasEveryCaseAndNoStrayExpectations) {
  std::vector<std::string> cases = GoldenCases();
  EXPECT_GE(cases.size(), 30u) << "no golden cases found under " << (kTestData / kGoldenDir);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kTestData / kGoldenDir, ec)) {
    const fs::path& p = entry.path();
    if (p.extension() == ".expected") {
      fs::path yaml = p;
      yaml.replace_extension(".yaml");
      EXPECT_TRUE(fs::exists(yaml)) << p << " has no " << yaml.filename();
    } else if (p.extension() != ".yaml" && p.filename() != "README.md") {
      ADD_FAILURE() << "unexpected file in the golden folder: " << p;
    }
  }
}

class YamlLoaderGolden : public testing::TestWithParam<std::string> {};

TEST_P(YamlLoaderGolden, RendersTheExpectedDiagnostic) {
  const std::string name = GetParam();
  const std::string rel = std::string(kGoldenDir) + "/" + name + ".yaml";
  const fs::path expected_path = kTestData / kGoldenDir / (name + ".expected");

  std::string actual, actual_from_text;
  {
    ScopedCwd cwd(kTestData);
    Result<Scenario> loaded = LoadYamlScenario(rel);
    ASSERT_FALSE(loaded.ok()) << rel
                              << " loaded without an error, but every golden case is a mistake";
    const Error& error = loaded.error();
    EXPECT_EQ(error.loc.file, rel) << "the error must name the file as it was given";
    actual = RenderDiagnostic(error);  // reads the source line from disk
    actual_from_text = RenderDiagnostic(error, ReadFile(rel));
  }
  EXPECT_EQ(actual, actual_from_text) << "rendering from disk and from the text disagree";
  EXPECT_EQ(actual.find(kTestData.string()), std::string::npos)
      << "the golden text must not hold a machine-specific path:\n"
      << actual;

  if (UpdateGolden()) {
    if (!fs::exists(expected_path) || ReadFile(expected_path) != actual) {
      std::ofstream(expected_path, std::ios::binary | std::ios::trunc) << actual;
      std::cout << "updated " << expected_path.string() << "\n";
    }
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; create it with PROCLAB_UPDATE_GOLDEN=1. Current output:\n"
      << actual;
  std::string mismatch = GoldenMismatch(ReadFile(expected_path), actual);
  if (!mismatch.empty())
    ADD_FAILURE() << rel << " renders differently from " << expected_path.filename().string()
                  << " (if the new text is intended, rerun with PROCLAB_UPDATE_GOLDEN=1):\n"
                  << mismatch;
}

std::string CaseName(const testing::TestParamInfo<std::string>& info) {
  std::string out = info.param;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return out;
}

INSTANTIATE_TEST_SUITE_P(Loader, YamlLoaderGolden, testing::ValuesIn(GoldenCases()), CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(YamlLoaderGolden);

// ---------------------------------------------------------------------------
// The docs/design.md §3 examples load into the model they describe.

constexpr std::string_view kZombieCreation =
    R"(scenario: zombie-creation            # unique name within a suite
description: A child that exits before its parent waits stays a zombie until reaped.
tags: [processes, zombie]
timeout: 5s                          # wall limit for the whole run
limits: {processes: 64, memory: 256MiB, cpu: 5s, output: 1MiB}
points: 10                           # weight when grading

actors:                              # built-in processes, no code needed
  parent:
    - fork: child                    # start actor `child` as a forked child
    - sleep: 300ms
    - checkpoint: zombie-visible     # the lab snapshots every process now
    - wait: child                    # waitpid on it
  child:
    - exit: 7

expect:
  - exit: {process: child, code: 7}
  - state: {process: child, at: zombie-visible, is: zombie}
  - reaped: {process: child, by: parent}
)";

constexpr std::string_view kDriverAndConductor = R"(scenario: driver-and-conductor
program: [python3, driver_conductor.py]   # argv; paths relative to the scenario file
tty: true                                 # stdin/stdout on a pseudo-terminal
roles:                                    # names for processes of a program's tree
  driver: main                            # the process the lab started
  conductor: {child_of: driver}           # its first child (also: nth, comm, argv match)
steps:                                    # stimuli, in order
  - wait_for: {fork: conductor}
  - sleep: 300ms
  - key: ctrl-c                           # through the pty: SIGINT to the foreground group
  - expect_output: {match: "发车了", by: driver, within: 1s}
  - key: ctrl-backslash                   # SIGQUIT
  - expect_output: {match: "到站了", by: driver, within: 1s}
expect:
  - signal: {sig: SIGUSR1, from: conductor, to: driver, outcome: handled}
  - signal: {sig: SIGUSR2, from: conductor, to: driver, outcome: handled}
  - order: [exit conductor, exit driver]
  - exit: {process: driver, code: 0}
)";

void ExpectLoc(const SourceLoc& loc, int line, int column) {
  EXPECT_EQ(loc.file, "examples/example.yaml");
  EXPECT_EQ(loc.line, line);
  EXPECT_EQ(loc.column, column);
}

TEST(YamlLoaderExamples, ZombieCreation) {
  Result<Scenario> r = ParseYamlScenario(kZombieCreation, "examples/example.yaml");
  ASSERT_TRUE(r.ok()) << RenderDiagnostic(r.error(), kZombieCreation);
  const Scenario& s = *r;
  EXPECT_EQ(s.name, "zombie-creation");
  EXPECT_EQ(s.description,
            "A child that exits before its parent waits stays a zombie until reaped.");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"processes", "zombie"}));
  EXPECT_EQ(s.file, "examples/example.yaml");
  EXPECT_TRUE(fs::path(s.dir).is_absolute()) << s.dir;
  EXPECT_EQ(fs::path(s.dir).filename(), "examples");
  EXPECT_EQ(s.cwd, s.dir);
  EXPECT_EQ(s.timeout_us, 5'000'000);
  EXPECT_EQ(s.limits.processes, 64);
  EXPECT_EQ(s.limits.memory, 256 << 20);
  EXPECT_EQ(s.limits.cpu_us, 5'000'000);
  EXPECT_EQ(s.limits.output, 1 << 20);
  EXPECT_EQ(s.points, 10);
  EXPECT_FALSE(s.has_program());
  EXPECT_FALSE(s.tty);
  EXPECT_TRUE(s.roles.empty());
  EXPECT_TRUE(s.steps.empty());

  ASSERT_EQ(s.actors.size(), 2u);
  EXPECT_EQ(s.start, 0u);  // the first actor listed is started by the lab
  const Actor& parent = s.actors[0];
  EXPECT_EQ(parent.name, "parent");
  ExpectLoc(parent.loc, 9, 3);
  ASSERT_EQ(parent.actions.size(), 4u);
  EXPECT_EQ(parent.actions[0].kind, Action::Kind::kFork);
  EXPECT_EQ(parent.actions[0].name, "child");
  ExpectLoc(parent.actions[0].loc, 10, 7);
  EXPECT_EQ(parent.actions[1].kind, Action::Kind::kSleep);
  EXPECT_EQ(parent.actions[1].us, 300'000);
  EXPECT_EQ(parent.actions[2].kind, Action::Kind::kCheckpoint);
  EXPECT_EQ(parent.actions[2].name, "zombie-visible");
  EXPECT_EQ(parent.actions[3].kind, Action::Kind::kWait);
  EXPECT_EQ(parent.actions[3].name, "child");
  const Actor& child = s.actors[1];
  EXPECT_EQ(child.name, "child");
  ASSERT_EQ(child.actions.size(), 1u);
  EXPECT_EQ(child.actions[0].kind, Action::Kind::kExit);
  EXPECT_EQ(child.actions[0].number, 7);
  EXPECT_EQ(child.lua_function, -1);

  ASSERT_EQ(s.expectations.size(), 3u);
  const Expectation& exit = s.expectations[0];
  EXPECT_EQ(exit.kind, Expectation::Kind::kExit);
  EXPECT_EQ(exit.process, "child");
  EXPECT_EQ(exit.code, 7);
  ExpectLoc(exit.loc, 18, 5);
  const Expectation& state = s.expectations[1];
  EXPECT_EQ(state.kind, Expectation::Kind::kState);
  EXPECT_EQ(state.process, "child");
  EXPECT_EQ(state.at, "zombie-visible");
  EXPECT_EQ(state.is, "zombie");
  const Expectation& reaped = s.expectations[2];
  EXPECT_EQ(reaped.kind, Expectation::Kind::kReaped);
  EXPECT_EQ(reaped.process, "child");
  EXPECT_EQ(reaped.by, "parent");
}

TEST(YamlLoaderExamples, DriverAndConductor) {
  Result<Scenario> r = ParseYamlScenario(kDriverAndConductor, "examples/example.yaml");
  ASSERT_TRUE(r.ok()) << RenderDiagnostic(r.error(), kDriverAndConductor);
  const Scenario& s = *r;
  EXPECT_EQ(s.name, "driver-and-conductor");
  EXPECT_TRUE(s.actors.empty());
  ASSERT_TRUE(s.has_program());
  EXPECT_EQ(s.program, (std::vector<std::string>{"python3", "driver_conductor.py"}));
  EXPECT_EQ(s.cwd, s.dir);
  EXPECT_TRUE(s.tty);
  EXPECT_FALSE(s.stdin_text.has_value());
  // Defaults for what the file leaves out.
  EXPECT_EQ(s.timeout_us, 10'000'000);
  EXPECT_EQ(s.points, 1);
  EXPECT_EQ(s.limits.processes, 256);

  // The two written, and `main`, which a program's scenario always has.
  ASSERT_EQ(s.roles.size(), 3u);
  EXPECT_EQ(s.roles[2].name, "main");
  EXPECT_TRUE(s.roles[2].main);
  EXPECT_EQ(s.roles[0].name, "driver");
  EXPECT_TRUE(s.roles[0].main);
  EXPECT_EQ(s.roles[0].child_of, "");
  ExpectLoc(s.roles[0].loc, 5, 3);
  EXPECT_EQ(s.roles[1].name, "conductor");
  EXPECT_FALSE(s.roles[1].main);
  EXPECT_EQ(s.roles[1].child_of, "driver");
  EXPECT_EQ(s.roles[1].nth, 0);
  EXPECT_EQ(s.roles[1].comm, "");

  ASSERT_EQ(s.steps.size(), 6u);
  EXPECT_EQ(s.steps[0].kind, Step::Kind::kWaitFor);
  EXPECT_EQ(s.steps[0].wait_kind, Step::WaitKind::kFork);
  EXPECT_EQ(s.steps[0].target, "conductor");
  EXPECT_EQ(s.steps[0].us, 0);
  ExpectLoc(s.steps[0].loc, 8, 5);
  EXPECT_EQ(s.steps[1].kind, Step::Kind::kSleep);
  EXPECT_EQ(s.steps[1].us, 300'000);
  EXPECT_EQ(s.steps[2].kind, Step::Kind::kKey);
  EXPECT_EQ(s.steps[2].key, "ctrl-c");
  EXPECT_EQ(s.steps[3].kind, Step::Kind::kExpectOutput);
  EXPECT_EQ(s.steps[3].pattern, "发车了");
  EXPECT_EQ(s.steps[3].by, "driver");
  EXPECT_EQ(s.steps[3].us, 1'000'000);
  EXPECT_FALSE(s.steps[3].stream.has_value());
  EXPECT_EQ(s.steps[4].kind, Step::Kind::kKey);
  EXPECT_EQ(s.steps[4].key, "ctrl-backslash");
  EXPECT_EQ(s.steps[5].kind, Step::Kind::kExpectOutput);
  EXPECT_EQ(s.steps[5].pattern, "到站了");

  ASSERT_EQ(s.expectations.size(), 4u);
  const Expectation& usr1 = s.expectations[0];
  EXPECT_EQ(usr1.kind, Expectation::Kind::kSignal);
  EXPECT_EQ(usr1.sig, *ParseSignal("SIGUSR1"));
  EXPECT_EQ(usr1.from, "conductor");
  EXPECT_EQ(usr1.to, "driver");
  EXPECT_EQ(usr1.outcome, Outcome::kHandled);
  EXPECT_TRUE(usr1.count.empty());
  EXPECT_EQ(s.expectations[1].sig, *ParseSignal("SIGUSR2"));
  const Expectation& order = s.expectations[2];
  EXPECT_EQ(order.kind, Expectation::Kind::kOrder);
  ASSERT_EQ(order.order.size(), 2u);
  EXPECT_EQ(order.order[0].kind, OrderItem::Kind::kExit);
  EXPECT_EQ(order.order[0].process, "conductor");
  EXPECT_EQ(order.order[0].text, "exit conductor");
  ExpectLoc(order.order[0].loc, 17, 13);
  EXPECT_EQ(order.order[1].kind, OrderItem::Kind::kExit);
  EXPECT_EQ(order.order[1].process, "driver");
  ExpectLoc(order.order[1].loc, 17, 29);
  const Expectation& exit = s.expectations[3];
  EXPECT_EQ(exit.kind, Expectation::Kind::kExit);
  EXPECT_EQ(exit.process, "driver");
  EXPECT_EQ(exit.code, 0);
}

// LoadYamlScenario reads the file it is given; its errors name that path.
TEST(YamlLoaderFiles, AnAbsurdNestIsRefusedBeforeLibyamlScansIt) {
  auto nest = [](int depth) {
    return "scenario: x\nactors:\n  main: " + std::string(depth, '[') + std::string(depth, ']') +
           "\n";
  };
  auto deep = ParseYamlScenario(nest(300), "deep.yaml");
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().message,
            "malformed YAML: collections are nested more than 256 levels deep");
  EXPECT_EQ(deep.error().loc.line, 3);
  EXPECT_EQ(deep.error().loc.column, 9 + 256);
  // Negative control: 200 levels pass this look (the reader refuses them later,
  // for actions nested more than 64 deep), and brackets in quotes, comments and
  // plain words never count.
  auto shallow = ParseYamlScenario(nest(200), "shallow.yaml");
  ASSERT_FALSE(shallow);
  EXPECT_EQ(shallow.error().message.find("levels deep"), std::string::npos)
      << shallow.error().message;
  const std::string quoted = "scenario: x\nactors:\n  main: [{print: \"" + std::string(300, '[') +
                             "\"}]  # " + std::string(300, '{') + "\ndescription: a" +
                             std::string(300, '[') + "\n";
  EXPECT_TRUE(ParseYamlScenario(quoted, "quoted.yaml")) << "brackets in text are not a nest";
}

TEST(YamlLoaderFiles, LoadsFromDiskAndReportsAMissingFile) {
  const fs::path dir = fs::path(testing::TempDir()) / "proclab_yaml_loader_test";
  fs::create_directories(dir);
  const fs::path file = dir / "zombie.yaml";
  std::ofstream(file, std::ios::binary | std::ios::trunc) << kZombieCreation;
  Result<Scenario> r = LoadYamlScenario(file.string());
  ASSERT_TRUE(r.ok()) << RenderDiagnostic(r.error());
  EXPECT_EQ(r->file, file.string());
  EXPECT_EQ(fs::path(r->dir), dir.lexically_normal());

  Result<Scenario> missing = LoadYamlScenario((dir / "nope.yaml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nope.yaml"), std::string::npos)
      << missing.error().message;
  fs::remove_all(dir);
}

// `main` names the program's first process without a roles: section; a
// role the author calls main wins; actor scenarios get none.
TEST(YamlLoaderExamples, MainIsAnImplicitRoleOfAProgram) {
  auto p = ParseYamlScenario("scenario: a\nprogram: [/bin/true]\n", "a.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->roles.size(), 1u);
  EXPECT_EQ(p->roles[0].name, "main");
  EXPECT_TRUE(p->roles[0].main);
  auto own = ParseYamlScenario(
      "scenario: b\nprogram: [/bin/true]\nroles:\n  main: {child_of: x}\n  x: main\n", "b.yaml");
  ASSERT_TRUE(own.ok()) << own.error().message;
  ASSERT_EQ(own->roles.size(), 2u);
  EXPECT_FALSE(own->FindRole("main")->main);
  auto actors = ParseYamlScenario("scenario: c\nactors:\n  p: [exit: 0]\n", "c.yaml");
  ASSERT_TRUE(actors.ok()) << actors.error().message;
  EXPECT_TRUE(actors->roles.empty());
}

// match: takes a list, any of which counts; each is checked as a regex.
TEST(YamlLoaderExamples, MatchTakesAListOfPatterns) {
  auto s = ParseYamlScenario(
      "scenario: a\nprogram: [/bin/true]\nexpect:\n  - output: {match: [发车了, \"let.s go\"]}\n",
      "a.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->expectations[0].pattern, "(?:发车了)|(?:let.s go)");
  auto bad = ParseYamlScenario(
      "scenario: a\nprogram: [/bin/true]\nexpect:\n  - output: {match: [ok, \"(\"]}\n", "a.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().loc.line, 4);
  auto empty = ParseYamlScenario(
      "scenario: a\nprogram: [/bin/true]\nexpect:\n  - output: {match: []}\n", "a.yaml");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("the list of patterns is empty"), std::string::npos);
}

// files: every field read; a copy of the folder for the run unless said.
TEST(YamlLoaderExamples, FilesExpectations) {
  auto s = ParseYamlScenario(R"(scenario: a
program: [/bin/true]
expect:
  - files: {path: ./out//result.txt, match: [done, fini], size: {min: 1, max: 10KiB},
            kind: file, written: yes, points: 2}
  - files: {path: "logs/*.log", count: {min: 2}}
  - files: {path: core, absent: true}
  - files: {outside: none}
)",
                             "a.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->expectations.size(), 4u);
  const Expectation& out = s->expectations[0];
  EXPECT_EQ(out.kind, Expectation::Kind::kFiles);
  EXPECT_EQ(out.Files().path, "out/result.txt");
  EXPECT_EQ(out.pattern, "(?:done)|(?:fini)");
  EXPECT_EQ(out.Files().size.min, 1);
  EXPECT_EQ(out.Files().size.max, 10 << 10);
  EXPECT_EQ(out.Files().file_kind, "file");
  EXPECT_TRUE(out.Files().written);
  EXPECT_EQ(out.points, 2.0);
  EXPECT_EQ(out.Describe(),
            "files: {path: \"out/result.txt\", kind: file, match: \"(?:done)|(?:fini)\", "
            "size: {min: 1B, max: 10KiB}, written: true}");
  EXPECT_EQ(s->expectations[1].count.min, 2);
  EXPECT_TRUE(s->expectations[2].Files().absent);
  EXPECT_TRUE(s->expectations[3].Files().outside);
  EXPECT_TRUE(s->FreshCwd());
  EXPECT_TRUE(s->WatchesOutside());
  // Only what looks outside: the folder is not copied; fresh_cwd decides when written.
  auto outside = ParseYamlScenario(
      "scenario: b\nprogram: [/bin/true]\nexpect:\n  - files: {outside: none}\n", "b.yaml");
  ASSERT_TRUE(outside.ok()) << outside.error().message;
  EXPECT_FALSE(outside->FreshCwd());
  auto kept = ParseYamlScenario(
      "scenario: c\nprogram: [/bin/true]\nfresh_cwd: false\nexpect:\n  - files: {path: x}\n",
      "c.yaml");
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_FALSE(kept->FreshCwd());
  // The pid placeholders of a match: name processes that exist.
  auto unknown = ParseYamlScenario(
      "scenario: d\nprogram: [/bin/true]\nexpect:\n  - files: {path: x, match: \"{pid:kid}\"}\n",
      "d.yaml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("names no actor or role 'kid'"), std::string::npos)
      << unknown.error().message;
}

}  // namespace
}  // namespace proclab
