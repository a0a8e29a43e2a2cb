// Output lost in a stdio buffer: which failed checks call for a run on a
// terminal, and the note that compares the two runs. Hand-built twins of the
// programs in tests/diagnoses/.
#include "runner/expect/lost_output.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

// The driver forks the conductor, which prints 到站了 (when `prints`) and
// ends as `end` says: "_exit" (no write at the end), "flush" (its line
// written just before it exits), "signal" (killed by SIGINT from the lab).
Timeline Conductor(bool prints, const std::string& end) {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(1'000, 3, 2);
  if (prints) tl.Output(100'000, 3, "到站了\n");
  if (end == "signal") {
    tl.Sent(200'000, SIGINT, Party::Lab(), 3)
        .Delivered(200'100, SIGINT, 3, Party::Lab(), Outcome::kKilled)
        .Killed(200'200, 3, SIGINT);
  } else {
    tl.Exit(200'000, 3, 0);
  }
  tl.Reap(200'300, 3, Party::Process(2)).Exit(300'000, 2, 0).Reap(300'100, 2, Party::Process(kLab));
  return std::move(tl.End(301'000).t);
}

Scenario Lesson() {
  Scenario s = DriverConductor();
  s.tty = false;
  s.expectations = {OutputExp(K::kOutput, "到站了", "conductor")};
  return s;
}

std::vector<LostOutputSuspect> Suspects(const Scenario& s, const Timeline& pipe) {
  return FindLostOutputSuspects(s, pipe, Judge(s, pipe));
}

TEST(LostOutput, AFailedOutputCheckWhoseWriterEndedWithoutAFlushIsASuspect) {
  const Scenario s = Lesson();
  const auto exited = Suspects(s, Conductor(false, "_exit"));
  ASSERT_EQ(exited.size(), 1u);
  EXPECT_EQ(exited[0].kind, LostOutputSuspect::Kind::kVerdict);
  EXPECT_EQ(exited[0].index, 0u);  // the first verdict: the output expectation
  EXPECT_EQ(exited[0].by, "conductor");
  EXPECT_EQ(Suspects(s, Conductor(false, "signal")).size(), 1u);
}

TEST(LostOutput, NoSuspectWhereABufferCannotBeTheCause) {
  const Scenario s = Lesson();
  // The check passed.
  EXPECT_TRUE(Suspects(s, Conductor(true, "_exit")).empty());
  // A terminal is line-buffered: the run already was what a rerun would be.
  Scenario tty = s;
  tty.tty = true;
  EXPECT_TRUE(Suspects(tty, Conductor(false, "_exit")).empty());
  // stderr is unbuffered.
  Scenario err = s;
  err.expectations[0].stream = Stream::kStderr;
  EXPECT_TRUE(Suspects(err, Conductor(false, "_exit")).empty());
  // Too many lines is no buffer's doing.
  Scenario many = s;
  many.expectations[0].count = IntRange::Exactly(0);
  EXPECT_TRUE(Suspects(many, Conductor(true, "_exit")).empty());
}

TEST(LostOutput, AWriterWhoseLastActWasAWriteFlushedItsBuffer) {
  // The conductor wrote another line just before exiting: a normal exit's
  // flush. Whatever it did not print, it never had.
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(1'000, 3, 2).Output(190'000, 3, "bye\n").Exit(200'000, 3, 0);
  EXPECT_TRUE(Suspects(Lesson(), tl.End(300'000).t).empty());
}

TEST(LostOutput, AFailedOutputStepIsASuspectToo) {
  Scenario s = Lesson();
  s.expectations.clear();
  Step st;
  st.kind = Step::Kind::kExpectOutput;
  st.pattern = "到站了";
  st.by = "conductor";
  s.steps = {st};
  Timeline pipe = Conductor(false, "signal");
  pipe.steps = {
      StepResult{0, false, "step 1 (expect_output '到站了'): no line …", 250'000, "", ""}};
  const auto suspects = Suspects(s, pipe);
  ASSERT_EQ(suspects.size(), 1u);
  EXPECT_EQ(suspects[0].kind, LostOutputSuspect::Kind::kStep);
  EXPECT_EQ(suspects[0].index, 0u);
}

TEST(LostOutput, TheNoteSaysWhatTheTerminalShowedAndHowTheBufferWasLost) {
  const Scenario s = Lesson();
  const LostOutputSuspect suspect{LostOutputSuspect::Kind::kVerdict, 0, "到站了", "conductor"};
  const std::string exited =
      LostOutputNote(s, suspect, Conductor(false, "_exit"), Conductor(true, "_exit"));
  EXPECT_TRUE(Has(exited,
                  "On a terminal, conductor (pid 3) printed '到站了'; through a pipe it never "
                  "wrote it: its stdio buffer was lost when it exited (code 0) at 0.200s without "
                  "flushing it (os._exit() does that"));
  EXPECT_TRUE(Has(exited, "print(…, flush=True)"));
  const std::string killed =
      LostOutputNote(s, suspect, Conductor(false, "signal"), Conductor(true, "signal"));
  EXPECT_TRUE(Has(killed,
                  "its stdio buffer was lost when it was killed by SIGINT from the lab "
                  "at 0.200s"));
}

TEST(LostOutput, NoNoteWhenTheTerminalShowsNothingMore) {
  const Scenario s = Lesson();
  const LostOutputSuspect suspect{LostOutputSuspect::Kind::kVerdict, 0, "到站了", "conductor"};
  // Never printed, on either: nothing blames a buffer.
  EXPECT_EQ(LostOutputNote(s, suspect, Conductor(false, "_exit"), Conductor(false, "_exit")), "");
  // Printed through the pipe as well: the check failed for another reason.
  EXPECT_EQ(LostOutputNote(s, suspect, Conductor(true, "_exit"), Conductor(true, "_exit")), "");
}

}  // namespace
}  // namespace proclab::expect_test
