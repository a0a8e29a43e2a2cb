// output and no_output: patterns with {pid:NAME}/{ppid:NAME}, writers,
// streams, counts; a failure shows the tail of what was printed.
#include <gtest/gtest.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

// driver (2) forks conductor (3); both print.
Tl Chatty() {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(10'000, 3, 2);
  tl.Output(100'000, 2, "hello from 2\n").Output(150'000, 3, "I am 3, my parent is 2\n");
  tl.Output(200'000, 2, "warning: low fuel\n", Stream::kStderr).Output(250'000, 2, "发车了\n");
  tl.Exit(500'000, 3, 0).Exit(600'000, 2, 0);
  return std::move(tl.End(700'000));
}

const Scenario kDcOutput = DriverConductor();

TEST(ExpectOutputTest, PassesAndQuotesTheFirstMatch) {
  Verdict v = JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "发车了", "driver"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.expectation, "output: {match: \"发车了\", by: driver}");
  EXPECT_TRUE(Has(v.explanation,
                  "1 matching line; the first: driver (pid 2) printed \"发车了\" at 0.250s"));
}

TEST(ExpectOutputTest, FailsAndShowsTheOutputTail) {
  Verdict v = JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "到站了", "driver"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "0 lines matched, expected at least 1")) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "; driver (pid 2) exited with code 0 at 0.600s"));
  EXPECT_TRUE(Has(v.explanation, "\n  the last output was:\n"));
  EXPECT_TRUE(Has(v.explanation, "0.150s conductor (pid 3) stdout: I am 3, my parent is 2"));
  EXPECT_TRUE(Has(v.explanation, "0.200s driver (pid 2) stderr: warning: low fuel"));
  EXPECT_TRUE(Has(v.explanation, "0.250s driver (pid 2) stdout: 发车了"));
}

TEST(ExpectOutputTest, SaysWhenNothingWasPrinted) {
  Tl tl;
  tl.Spawn(0, 2).Exit(100'000, 2, 1).End(200'000);
  Verdict v = JudgeOne(kDcOutput, tl.t, OutputExp(K::kOutput, "ready"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "0 lines matched, expected at least 1\n  nothing was printed"))
      << Show(v);
}

TEST(ExpectOutputTest, TheWriterMatters) {
  // "hello" was printed, but by the driver, not the conductor.
  Verdict v = JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "hello", "conductor"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "0 lines matched, expected at least 1; conductor (pid 3) exited with code 0"))
      << Show(v);
  EXPECT_TRUE(JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "hello", "driver")).passed);
  EXPECT_TRUE(JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "hello")).passed);
}

TEST(ExpectOutputTest, TheStreamMatters) {
  Expectation e = OutputExp(K::kOutput, "low fuel", "driver");
  e.stream = Stream::kStderr;
  EXPECT_TRUE(JudgeOne(kDcOutput, Chatty().t, e).passed);
  e.stream = Stream::kStdout;
  Verdict v = JudgeOne(kDcOutput, Chatty().t, e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "0 lines matched")) << Show(v);
}

TEST(ExpectOutputTest, PidPlaceholdersExpandToTheRealPids) {
  Verdict v = JudgeOne(
      kDcOutput, Chatty().t,
      OutputExp(K::kOutput, "^I am {pid:conductor}, my parent is {ppid:conductor}$", "conductor"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(
      JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "hello from {pid:driver}")).passed);
  EXPECT_TRUE(
      JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "my parent is {pid:driver}")).passed);
}

TEST(ExpectOutputTest, PidPlaceholderFailureSaysWhatTheyMeant) {
  Tl tl;
  tl.Spawn(0, 2).Fork(10'000, 3, 2).Output(150'000, 3, "I am 7, my parent is 2\n").End(200'000);
  Verdict v =
      JudgeOne(kDcOutput, tl.t,
               OutputExp(K::kOutput, "I am {pid:conductor}, my parent is {ppid:conductor}"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "0 lines matched (where {pid:conductor} = 3, {ppid:conductor} = 2), expected at "
                  "least 1"))
      << Show(v);
  EXPECT_TRUE(Has(v.explanation, "conductor (pid 3) stdout: I am 7, my parent is 2"));
}

TEST(ExpectOutputTest, PpidPlaceholderMeansTheParentAtBirth) {
  // An orphan printing getppid() after adoption prints the lab's pid; the
  // placeholder for that is {pid:lab}, and the failure shows the binding.
  Tl tl;
  tl.Spawn(0, 2).Fork(10'000, 3, 2).Exit(50'000, 2, 0).Reparent(50'010, 3, 2, kLab);
  tl.Output(250'000, 3, "my parent is now 1\n").Exit(300'000, 3, 0).End(400'000);
  EXPECT_TRUE(
      JudgeOne(kDcOutput, tl.t, OutputExp(K::kOutput, "^my parent is now {pid:lab}$", "conductor"))
          .passed);
  Verdict v = JudgeOne(kDcOutput, tl.t,
                       OutputExp(K::kOutput, "^my parent is now {ppid:conductor}$", "conductor"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "(where {ppid:conductor} = 2)")) << Show(v);
}

TEST(ExpectOutputTest, APidIsAWholeNumber) {
  Tl tl(/*main=*/12);
  tl.Spawn(0, 12).Output(100'000, 12, "pid 123\n").End(200'000);
  EXPECT_FALSE(JudgeOne(kDcOutput, tl.t, OutputExp(K::kOutput, "pid {pid:driver}")).passed);
  tl.Output(150'000, 12, "pid 12\n");
  EXPECT_TRUE(JudgeOne(kDcOutput, tl.t, OutputExp(K::kOutput, "pid {pid:driver}")).passed);
}

TEST(ExpectOutputTest, UnknownNames) {
  Verdict v = JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "I am {pid:ghost}"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'ghost'")) << Show(v);
  v = JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kOutput, "hello", "ghost"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'ghost'")) << Show(v);
}

// Three workers (children of main) each print one or more "task N done" lines.
Tl Pool(const std::vector<pid_t>& writers_of_tasks) {
  Tl tl;
  tl.Spawn(0, 2).Fork(1'000, 3, 2).Fork(2'000, 4, 2).Fork(3'000, 5, 2);
  int64_t t = 100'000;
  int n = 0;
  for (pid_t w : writers_of_tasks)
    tl.Output(t += 10'000, w,
              "task " + std::to_string(n++) + " done by " + std::to_string(w) + "\n");
  return std::move(tl.Exit(900'000, 2, 0).End(1'000'000));
}

Scenario PoolScenario() {
  Scenario s;
  s.program = {"python3", "pool.py"};
  s.roles.push_back(MainRole("main"));
  s.roles.push_back(ChildRole("worker", "main"));
  return s;
}

TEST(ExpectOutputTest, CountsAndWriters) {
  Expectation e = OutputExp(K::kOutput, "^task \\d+ done by {pid:worker}$", "worker");
  e.count = IntRange::Exactly(6);
  e.writers = IntRange::Exactly(3);
  Verdict v = JudgeOne(PoolScenario(), Pool({3, 4, 5, 3, 4, 5}).t, e);
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation,
                  "6 matching lines; the first: worker (pid 3) printed \"task 0 done by 3\""));

  v = JudgeOne(PoolScenario(), Pool({3, 4, 3, 4, 3, 4}).t, e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "2 different processes wrote the 6 matching lines, expected 3"))
      << Show(v);

  e.count = IntRange{2, 3};
  v = JudgeOne(PoolScenario(), Pool({3, 4, 5, 3}).t, e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "4 lines matched (where {pid:worker} = 3|4|5), expected between 2 and 3; the "
                  "first: worker (pid 3) printed \"task 0 done by 3\" at 0.110s"))
      << Show(v);
  EXPECT_TRUE(Lacks(v.explanation, "the last output was"));  // only when nothing matched
}

TEST(ExpectOutputTest, CountZeroAllowsSilence) {
  Expectation e = OutputExp(K::kOutput, "Traceback");
  e.count = IntRange::Exactly(0);
  Verdict v = JudgeOne(kDcOutput, Chatty().t, e);
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "no line matched, as allowed"));
}

// no_output ----------------------------------------------------------------

TEST(ExpectNoOutputTest, PassesWhenNothingMatches) {
  Verdict v = JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kNoOutput, "Traceback"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "no such line was printed"));
}

TEST(ExpectNoOutputTest, FailsAndQuotesTheLine) {
  Tl tl = Chatty();
  tl.Output(300'000, 2, "Traceback (most recent call last):\n", Stream::kStderr);
  Verdict v = JudgeOne(kDcOutput, tl.t, OutputExp(K::kNoOutput, "Traceback"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(
      Has(v.explanation, "driver (pid 2) printed \"Traceback (most recent call last):\" at 0.300s"))
      << Show(v);
}

TEST(ExpectNoOutputTest, ByAndStreamNarrowIt) {
  // Without a pattern: any output at all by that writer on that stream.
  Expectation e = OutputExp(K::kNoOutput, "", "conductor");
  e.stream = Stream::kStderr;
  EXPECT_TRUE(JudgeOne(kDcOutput, Chatty().t, e).passed);
  e.by = "driver";
  Verdict v = JudgeOne(kDcOutput, Chatty().t, e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "driver (pid 2) printed \"warning: low fuel\" at 0.200s"))
      << Show(v);
}

TEST(ExpectNoOutputTest, PlaceholderForAProcessThatNeverExisted) {
  Verdict v = JudgeOne(kDcOutput, Chatty().t, OutputExp(K::kNoOutput, "{pid:ghost}"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'ghost'"));
}

}  // namespace
}  // namespace proclab::expect_test
