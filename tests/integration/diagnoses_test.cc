// Diagnoses that name their cause, each on a real program written for it
// (tests/diagnoses/), each with a negative control: a hang at the timeout
// (pause, a flock deadlock, a pipe whose write end stays open; a busy loop
// and a run that ends in time as controls), and output lost in a stdio
// buffer (Python's os._exit, C's printf killed by SIGINT; a program that
// never prints and a passing run as controls).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

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

const std::string kDiagnoses = std::string(PROCLAB_TEST_DATA) + "/diagnoses";

std::string DiagnosesSlurp(const fs::path& p) {
  std::ifstream f(p);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// `proclab run FILE` with a json report: the one run it made.
json RunOne(const std::string& file, Ran* ran = nullptr) {
  TempFolder out;
  const std::string report = out.path() + "/report.json";
  Ran r = Proclab({"run", "--report", "json:" + report, "--report", "console", file});
  if (ran) *ran = r;
  json doc = json::parse(DiagnosesSlurp(report), nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << r.out << r.err;
  if (doc.is_discarded() || doc["runs"].size() != 1) return json::object();
  return doc["runs"][0];
}

std::string Explanation(const json& run, const std::string& expectation_prefix) {
  for (const auto& v : run["verdicts"])
    if (v["expectation"].get<std::string>().starts_with(expectation_prefix))
      return v["explanation"].get<std::string>();
  ADD_FAILURE() << "no verdict " << expectation_prefix << " in " << run["verdicts"].dump(2);
  return {};
}

// The snapshot of the run's timeout, or null.
json TimeoutSnapshot(const json& run) {
  for (const auto& e : run["trace"]["events"])
    if (e["type"] == "limit" && e["kind"] == "timeout") return e.value("processes", json());
  return json();
}

::testing::AssertionResult Has(const std::string& text, const std::string& phrase) {
  if (text.find(phrase) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << phrase << "\" is not in:\n" << text;
}

::testing::AssertionResult Lacks(const std::string& text, const std::string& phrase) {
  if (text.find(phrase) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << phrase << "\" should not be in:\n" << text;
}

TEST(HangDiagnosis, AParentInPauseAfterItsChildExited) {
  const json run = RunOne(kDiagnoses + "/hang-pause.yaml");
  const std::string why = Explanation(run, "timeout:");
  EXPECT_TRUE(Has(why, "the run did not finish within 2s; the lab killed what was left. At 2."));
  EXPECT_TRUE(Has(why,
                  "driver (pid 2) was in pause(), waiting for a signal, nothing seen from it "
                  "since 0."));
  EXPECT_TRUE(Has(why, "conductor (pid 3) had exited at 0."));
  // The process's own verdict says what it was stuck in, not "still running".
  EXPECT_TRUE(Has(Explanation(run, "exit:"),
                  "driver (pid 2) was in pause(), waiting for a signal, when the lab killed it"));
  const json snap = TimeoutSnapshot(run);
  ASSERT_EQ(snap.size(), 1u) << run["trace"].dump(2);
  EXPECT_EQ(snap[0]["pid"], 2);
  EXPECT_EQ(snap[0]["state"], "S");
  EXPECT_EQ(snap[0]["syscall"], "pause");
  EXPECT_GT(snap[0]["last_event_us"].get<int64_t>(), 0);
}

TEST(HangDiagnosis, TwoWorkersDeadlockedOnFlockInOppositeOrder) {
  const json run = RunOne(kDiagnoses + "/hang-deadlock.yaml");
  const std::string why = Explanation(run, "timeout:");
  EXPECT_TRUE(Has(why,
                  "worker1 (pid 3) and worker2 (pid 4) were each blocked on a file lock the "
                  "other held: a deadlock"));
  EXPECT_TRUE(Has(why, "worker1 (pid 3) waited in flock() for a write lock (flock) on "));
  EXPECT_TRUE(Has(why, "/b.lock, held by worker2 (pid 4)"));
  EXPECT_TRUE(Has(why, "/a.lock, held by worker1 (pid 3)"));
  EXPECT_TRUE(Has(why,
                  "main (pid 2) was in wait4(), waiting for a child: worker1 (pid 3) or "
                  "worker2 (pid 4)"));
  // The facts behind it, in the trace: who held what, who waited for what.
  const json snap = TimeoutSnapshot(run);
  ASSERT_EQ(snap.size(), 3u) << run["trace"].dump(2);
  for (const auto& p : snap) {
    if (p["pid"] == 2) continue;
    const int other = p["pid"] == 3 ? 4 : 3;
    EXPECT_EQ(p["syscall"], "flock");
    ASSERT_TRUE(p.contains("lock_wait")) << p.dump(2);
    EXPECT_EQ(p["lock_wait"]["held_by"], json::array({other}));
    EXPECT_EQ(p["locks"].size(), 1u);
    EXPECT_EQ(p["lock_wait"]["kind"], "flock");
  }
}

TEST(HangDiagnosis, AReaderOfAPipeWhoseWriteEndStayedOpen) {
  const json run = RunOne(kDiagnoses + "/hang-pipe.yaml");
  const std::string why = Explanation(run, "timeout:");
  EXPECT_TRUE(Has(why,
                  "reader (pid 3) was in read() on a pipe (fd 3), whose write end was still "
                  "open in main (pid 2) and itself"));
  EXPECT_TRUE(Has(why, "main (pid 2) was in wait4(), waiting for a child: reader (pid 3)"));
}

TEST(HangDiagnosis, ABusyLoopIsRunningNotBlocked) {
  // Negative control: nothing to be blocked in, and the report says so.
  const json run = RunOne(kDiagnoses + "/hang-busy.yaml");
  const std::string why = Explanation(run, "timeout:");
  EXPECT_TRUE(Has(why, "main (pid 2) was running, having used "));
  EXPECT_TRUE(Lacks(why, "was in "));
  const json snap = TimeoutSnapshot(run);
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_EQ(snap[0]["state"], "R");
  EXPECT_FALSE(snap[0].contains("syscall")) << snap[0].dump();
}

TEST(HangDiagnosis, ARunThatEndsInTimeHasNoSnapshot) {
  // Negative control: no timeout, no snapshot, no timeout verdict.
  const json run = RunOne(kDiagnoses + "/finishes.yaml");
  EXPECT_TRUE(run["passed"].get<bool>()) << run.dump(2);
  for (const auto& e : run["trace"]["events"]) {
    EXPECT_NE(e["type"], "limit") << e.dump();
    EXPECT_FALSE(e["type"] == "limit" && e.contains("processes"));
  }
  for (const auto& v : run["verdicts"])
    EXPECT_FALSE(v["expectation"].get<std::string>().starts_with("timeout"));
}

TEST(HangDiagnosis, TraceShowsWhereEachProcessWasStuck) {
  Ran r = Proclab({"trace", "--timeout", "1s", "--cwd", kDiagnoses, "--", "/usr/bin/python3",
                   "pause_after_child_exits.py"});
  EXPECT_EQ(r.status, 137) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "limit timeout: the run passed its 1s timeout"));
  EXPECT_TRUE(Has(r.out, "in pause(), waiting for a signal (last event at 0."));
}

TEST(LostOutputDiagnosis, PythonsLineLostAtOsExit) {
  const json run = RunOne(kDiagnoses + "/lost-python.yaml");
  EXPECT_TRUE(run.value("tty_rerun", false)) << run.dump(2);
  const std::string why = Explanation(run, "output:");
  EXPECT_TRUE(Has(why,
                  "On a terminal, conductor (pid 3) printed '到站了'; through a pipe it never "
                  "wrote it: its stdio buffer was lost when it exited (code 0) at 0."));
  EXPECT_TRUE(Has(why, "without flushing it (os._exit() does that; a normal exit flushes)"));
  EXPECT_TRUE(Has(why, "print(…, flush=True)"));
  // The verdicts and the trace are the pipe run's: the line is not in it.
  for (const auto& e : run["trace"]["events"]) EXPECT_NE(e["type"], "output") << e.dump();
  EXPECT_TRUE(Lacks(Explanation(run, "exit:"), "terminal"));
}

TEST(LostOutputDiagnosis, CsPrintfLostWhenSigintKilledIt) {
  const json run = RunOne(kDiagnoses + "/lost-c.yaml");
  EXPECT_TRUE(run.value("tty_rerun", false));
  const std::string note =
      "On a terminal, main (pid 2) printed '到站了'; through a pipe it never wrote it: its stdio "
      "buffer was lost when it was killed by SIGINT from the lab at 0.";
  EXPECT_TRUE(Has(Explanation(run, "output:"), note));
  ASSERT_EQ(run["failed_steps"].size(), 1u) << run.dump(2);
  const std::string step = run["failed_steps"][0]["message"];
  EXPECT_TRUE(Has(step, "step 3 (expect_output '到站了')"));
  EXPECT_TRUE(Has(step, note));
  EXPECT_TRUE(Has(step, "fflush(stdout) after printf"));
}

TEST(LostOutputDiagnosis, ATerminalRerunStuckInPauseEndsWithoutASecondTimeout) {
  const json run = RunOne(kDiagnoses + "/lost-at-timeout.yaml");
  EXPECT_TRUE(run.value("tty_rerun", false)) << run.dump(2);
  EXPECT_TRUE(
      Has(Explanation(run, "output:"),
          "On a terminal, main (pid 2) printed '到站了'; through a pipe it never wrote it"));
  // Two timeouts would be 8s; the rerun ends 300ms after pause() begins.
  EXPECT_LT(run["seconds"].get<double>(), 7.0) << run.dump(2);
}

TEST(LostOutputDiagnosis, AProgramThatNeverPrintsGetsNoBufferNote) {
  // Negative control: the terminal shows nothing either, so nothing may
  // blame a buffer. The rerun was made: the trigger cannot know beforehand.
  const json run = RunOne(kDiagnoses + "/lost-nothing.yaml");
  EXPECT_TRUE(run.value("tty_rerun", false));
  const std::string why = Explanation(run, "output:");
  EXPECT_TRUE(Has(why, "0 lines matched"));
  EXPECT_TRUE(Lacks(why, "terminal"));
  EXPECT_TRUE(Lacks(why, "buffer"));
}

// Each run of count_and_print.py adds a line to runs.log in its folder.
size_t LabsFor(const std::string& scenario, json* run) {
  TempFolder dir;
  fs::permissions(dir.path(), fs::perms::all);  // the programs run as nobody
  for (const auto& f : fs::directory_iterator(kDiagnoses + "/counted"))
    fs::copy(f.path(), dir.path() + "/" + f.path().filename().string());
  *run = RunOne(dir.path() + "/" + scenario);
  std::ifstream log(dir.path() + "/runs.log");
  size_t lines = 0;
  for (std::string line; std::getline(log, line);) ++lines;
  return lines;
}

TEST(LostOutputDiagnosis, APassingRunIsNeverMadeTwice) {
  json run;
  EXPECT_EQ(LabsFor("passes.yaml", &run), 1u);
  EXPECT_TRUE(run["passed"].get<bool>()) << run.dump(2);
  EXPECT_FALSE(run.contains("tty_rerun"));
  // Positive control of the count: a lost line costs exactly one more lab.
  EXPECT_EQ(LabsFor("loses.yaml", &run), 2u);
  EXPECT_TRUE(Has(Explanation(run, "output:"), "On a terminal, main (pid 2) printed '到站了'"));
}

TEST(Diagnoses, AStudentsFeedbackNamesBothCauses) {
  TempFolder out;
  Ran r = Proclab({"grade", kDiagnoses + "/grade-suite", kDiagnoses + "/grade-class", "--out",
                   out.path(), "-j", "2"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string lost = DiagnosesSlurp(out.path() + "/flushless/feedback.md");
  EXPECT_TRUE(Has(lost,
                  "On a terminal, conductor (pid 3) printed '到站了'; through a pipe it "
                  "never wrote it"));
  EXPECT_TRUE(Lacks(lost, "Timeout"));
  const std::string hang = DiagnosesSlurp(out.path() + "/waits_forever/feedback.md");
  EXPECT_TRUE(Has(hang, "Timeout: the run did not finish within 2s"));
  EXPECT_TRUE(Has(hang, "driver (pid 2) was in pause(), waiting for a signal"));
  EXPECT_TRUE(Has(hang, "conductor (pid 3) had exited at 0."));
  EXPECT_TRUE(Lacks(hang, "On a terminal"));
  EXPECT_TRUE(Has(DiagnosesSlurp(out.path() + "/grades.csv"), "waits_forever,1,2,1,timeout"));
}

}  // namespace
}  // namespace proclab::testing
