// Every reporter's whole output for one fixed suite: a pass, a failure with
// a failed step and explanations, a program that did not compile, and a
// scenario that passed once and failed once (flaky).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/reporters.h"
#include "runner/expect/test_timelines.h"
#include "tests/approval/approval.h"

namespace proclab::approval {
namespace {

using expect_test::Tl;

Timeline ZombieRun() {
  Tl tl;
  tl.Spawn(0, 2, "parent").Actor(0, 2, "parent").Fork(1'000, 3, 2).Actor(1'000, 3, "child");
  tl.Exit(50'000, 3, 7).Reap(300'000, 3, Party::Process(2));
  tl.Exit(301'000, 2, 0).Reap(301'010, 2, Party::Process(1));
  return std::move(tl.End(302'000).t);
}

Timeline DriverRun() {
  Tl tl;
  tl.Spawn(0, 2, "python3", {"python3", "student.py"}).Fork(10'000, 3, 2);
  tl.Delivered(300'000, SIGINT, 2, Party::Tty(), Outcome::kKilled);
  tl.Killed(300'100, 2, SIGINT).Reap(300'200, 2, Party::Process(1));
  tl.Output(310'000, 3, "conductor: bye <& \"quoted\" \x1b[31mred\n");
  tl.Exit(320'000, 3, 1).Reparent(300'150, 3, 2, 1).Reap(320'100, 3, Party::Process(1));
  return std::move(tl.End(400'000).t);
}

std::vector<ScenarioResult> Suite() {
  std::vector<ScenarioResult> out;
  ScenarioResult pass;
  pass.scenario = "zombie-creation";
  pass.file = "scenarios/processes/zombie.yaml";
  pass.path = "processes/zombie.yaml";
  pass.tags = {"processes", "zombie"};
  pass.points = 10;
  pass.passed = true;
  pass.wall_us = 312'000;
  pass.timeline = ZombieRun();
  pass.verdicts = {Verdict{true,
                           false,
                           "exit: {process: child, code: 7}",
                           "child (pid 3) exited with code 7 at 0.050s",
                           SourceLoc{"scenarios/processes/zombie.yaml", 12, 5},
                           Verdict::Origin::kWritten,
                           std::nullopt,
                           {},
                           std::nullopt},
                   Verdict{true,
                           false,
                           "no_zombies",
                           "every child that exited was reaped",
                           SourceLoc{"scenarios/processes/zombie.yaml", 1, 1},
                           Verdict::Origin::kWritten,
                           std::nullopt,
                           {},
                           std::nullopt}};
  out.push_back(pass);

  ScenarioResult fail;
  fail.scenario = "driver-and-conductor";
  fail.file = "scenarios/signals/driver-and-conductor/dc.yaml";
  fail.path = "signals/driver-and-conductor/dc.yaml";
  fail.tags = {"signals"};
  fail.wall_us = 405'000;
  fail.timeline = DriverRun();
  fail.failed_steps = {StepResult{3, false,
                                  "expect_output: no line matched '发车了' by driver within 1s\n"
                                  "  the last output was: nothing",
                                  1'300'000, "", "expect_output '发车了'"}};
  fail.verdicts = {
      Verdict{false,
              false,
              "signal: {sig: SIGINT, to: driver, outcome: ignored}",
              "expected driver to ignore SIGINT from the terminal; driver (pid 2) got SIGINT from "
              "the terminal at 0.300s and was killed by it",
              SourceLoc{"scenarios/signals/driver-and-conductor/dc.yaml", 20, 5},
              Verdict::Origin::kWritten,
              std::nullopt,
              {2, 3, 5},
              std::nullopt},
      Verdict{true,
              false,
              "no_leaks",
              "nothing was left running",
              SourceLoc{},
              Verdict::Origin::kWritten,
              std::nullopt,
              {},
              std::nullopt}};
  out.push_back(fail);

  ScenarioResult broken;
  broken.scenario = "compile-error";
  broken.file = "tests/broken.yaml";
  broken.wall_us = 12'000;
  broken.error = "could not compile tests/broken.c (exit 1):\nbroken.c:1:1: error: expected ';'";
  out.push_back(broken);

  for (int attempt = 0; attempt < 2; ++attempt) {
    ScenarioResult flaky = pass;
    flaky.scenario = "race";
    flaky.file = "scenarios/race.yaml";
    flaky.path = "race.yaml";
    flaky.attempt = attempt;
    flaky.passed = attempt == 0;
    if (!flaky.passed)
      flaky.verdicts[0] = Verdict{false,
                                  false,
                                  "output: {match: \"^count 8000$\"}",
                                  "0 lines matched, expected at least 1",
                                  SourceLoc{"scenarios/race.yaml", 9, 5},
                                  Verdict::Origin::kWritten,
                                  std::nullopt,
                                  {},
                                  std::nullopt};
    out.push_back(flaky);
  }
  return out;
}

SuiteSummary Summary(const std::vector<ScenarioResult>& runs) {
  SuiteSummary s;
  s.planned = s.runs = runs.size();
  for (const auto& r : runs) ++(r.passed ? s.passed : s.failed);
  return s;
}

std::string Read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Another report of the same invocation that keeps each run in a file, for
// JUnit's and TAP's attachments.
class KeptRuns : public RunArtifacts {
 public:
  [[nodiscard]] std::string ArtifactFor(const ScenarioResult&) const override {
    return "results.json";
  }
  [[nodiscard]] int ArtifactRank() const override { return kJsonRank; }
};

// Feeds the suite to one reporter writing to a scratch file; returns it.
std::string Report(const std::string& format) {
  static const KeptRuns kept;
  static const ArtifactLinks links = [] {
    ArtifactLinks l;
    l.Add(&kept);
    return l;
  }();
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("proclab-approval-" + std::to_string(getpid()) + "." + format))
                               .string();
  std::unique_ptr<ResultSink> sink;
  FILE* console = nullptr;
  if (format == "console") {
    console = fopen(path.c_str(), "w");
    sink = MakeConsoleReporter(console, /*color=*/false);
  } else {
    auto made = MakeReporter(format + ":" + path, &links);
    EXPECT_TRUE(made.ok());
    if (!made.ok()) return {};
    sink = std::move(*made);
  }
  const auto runs = Suite();
  sink->OnStart(runs.size());
  for (const auto& r : runs) sink->OnResult(r);
  sink->OnEnd(Summary(runs));
  sink.reset();
  if (console) fclose(console);
  std::string text = Read(path);
  std::filesystem::remove(path);
  return text;
}

TEST(ReportersApproval, Console) {
  EXPECT_TRUE(MatchesBaseline("report.console", Report("console")));
}
TEST(ReportersApproval, Json) { EXPECT_TRUE(MatchesBaseline("report.json", Report("json"))); }
TEST(ReportersApproval, Junit) { EXPECT_TRUE(MatchesBaseline("report.junit", Report("junit"))); }
TEST(ReportersApproval, Tap) { EXPECT_TRUE(MatchesBaseline("report.tap", Report("tap"))); }

}  // namespace
}  // namespace proclab::approval
