#include "runner/grade/run_record.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"
#include "runner/grade/gradebook.h"

namespace proclab {
namespace {

using expect_test::Tl;

Verdict V(const std::string& expectation, bool passed, std::string explanation = "",
          Verdict::Origin origin = Verdict::Origin::kWritten) {
  Verdict v;
  v.expectation = expectation;
  v.passed = passed;
  v.explanation = std::move(explanation);
  v.origin = origin;
  return v;
}

// A run that crashed (stderr with bytes that are not UTF-8), timed out, and
// earned a third of the points of one expectation out of three.
ScenarioResult Crashed(const std::string& subject) {
  ScenarioResult r;
  r.scenario = "driver";
  r.subject = subject;
  r.verdicts = {V("exit: {process: main, code: 0}", false, "main exited with code 1 \xff\xfe"),
                V("output: hi", true), V("order: [a, b]", false, "b came first"),
                V("timeout", false, "main was in pause()", Verdict::Origin::kTimeout)};
  r.roles_note = "judged with role assignment 2 of 2";
  r.graded_steps = {{"step 4: expect_output 'hi'", false, 2, "no line \x80 came"}};
  r.timeline = Tl().Spawn(0, 2, "python3")
                   .Output(10, 2, "Traceback\nbad \xc3\x28 byte\n", Stream::kStderr)
                   .Exit(20, 2, 1)
                   .End(30)
                   .t;
  return r;
}

// What counts as a crash: the program's own non-zero exit, a death by a
// signal, and a helper's non-zero exit that said why on stderr; a helper's
// silent status (grep's "no match") does not.
TEST(RunRecord, AHelpersSilentStatusIsNotACrash) {
  Timeline t = Tl().Spawn(0, 2, "sh")
                   .Fork(1, 3, 2)
                   .Exit(2, 3, 1)  // grep, no match: silent
                   .Fork(3, 4, 2)
                   .Output(4, 4, "cat: nope: No such file\n", Stream::kStderr)
                   .Exit(5, 4, 1)
                   .Fork(6, 5, 2)
                   .Killed(7, 5, SIGSEGV)
                   .Exit(8, 2, 2)
                   .End(9)
                   .t;
  t.main_pid = 2;
  std::vector<std::string> notes = CrashNotes(t);
  ASSERT_EQ(notes.size(), 3u) << fmt::format("{}", fmt::join(notes, "\n"));
  EXPECT_NE(notes[0].find("(pid 2) ended: exit 2"), std::string::npos) << notes[0];
  EXPECT_NE(notes[1].find("(pid 4) ended: exit 1; the last lines"), std::string::npos) << notes[1];
  EXPECT_NE(notes[2].find("(pid 5) ended"), std::string::npos) << notes[2];
  // Negative control: the same helper, were it the program, is a crash.
  t.main_pid = 3;
  EXPECT_NE(fmt::format("{}", fmt::join(CrashNotes(t), "\n")).find("(pid 3) ended: exit 1"),
            std::string::npos);
}

TEST(RunRecord, KeepsWhatTheGradebookUsesOfARun) {
  RunRecord r = RecordRun(Crashed("ana"), 10);
  EXPECT_EQ(r.flags, (std::set<std::string>{"crashed", "timeout"}));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("bad \xc3\x28 byte"), std::string::npos) << r.notes[0];
  EXPECT_TRUE(r.score.timeout);
  EXPECT_DOUBLE_EQ(r.score.score, 8.0 / 3);
}

TEST(RunRecord, RoundTripsExactlyThroughItsText) {
  std::vector<RunRecord> runs = {RecordRun(Crashed("ana"), 10), RecordRun(Crashed("ana"), 7)};
  runs[1].score.error = "could not start \xff";
  auto back = DecodeRecords(EncodeRecords(runs));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, runs);
  EXPECT_DOUBLE_EQ((*back)[0].score.score, 8.0 / 3);  // not 2.6666666666666665 printed short
  // Control: the comparison sees a changed field.
  (*back)[0].score.items[1].earned += 1e-15;
  EXPECT_NE(*back, runs);
}

TEST(RunRecord, ABuildRoundTripsExactly) {
  BuildRecord b{"main.c", "the build failed (cc): exited with code 1", "main.c:1: \xff error"};
  auto back = DecodeBuild(EncodeBuild(b));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, b);
  EXPECT_FALSE(DecodeBuild(R"({"entry":"main.c","problem":""})").ok());
}

TEST(RunRecord, TextThatIsNotWhatWasWrittenIsRefused) {
  const std::string good = EncodeRecords({RecordRun(Crashed("ana"), 10)});
  ASSERT_TRUE(DecodeRecords(good).ok());
  EXPECT_FALSE(DecodeRecords(good.substr(0, good.size() / 2)).ok());  // truncated
  EXPECT_FALSE(DecodeRecords(R"({"runs":[]})").ok());
  EXPECT_FALSE(DecodeRecords(R"({"runs":[{"flags":[],"notes":[]}]})").ok());  // no score
  std::string wrong_type = good;
  wrong_type.replace(wrong_type.find("\"passed\":true"), 13, "\"passed\":1");
  EXPECT_FALSE(DecodeRecords(wrong_type).ok());
  std::string bad_hex = good;
  bad_hex.replace(bad_hex.find("{\"hex\":\"") + 8, 2, "zz");
  EXPECT_FALSE(DecodeRecords(bad_hex).ok());
}

// Every file of a gradebook built from stored records is the one built from
// the runs themselves.
TEST(RunRecord, AGradebookFromStoredRecordsWritesTheSameFiles) {
  GradeConfig config;
  config.hidden = {"other"};
  auto build = [&](bool from_records, double shift) {
    Gradebook book(config, {{"driver", 10}, {"other", 5}}, RepeatPolicy::kMedian);
    book.AddSubmission("ana", "main.py", "");
    book.AddSubmission("ben", "main.c", "the build failed (cc): exited with code 1", "error");
    for (int attempt = 0; attempt < 3; ++attempt) {
      ScenarioResult r = Crashed("ana");
      r.verdicts[1].passed = attempt != 1;
      ScenarioResult o = r;
      o.scenario = "other";
      if (!from_records) {
        book.AddRun(r);
        book.AddRun(o);
        continue;
      }
      Gradebook scratch(config, {{"driver", 10}, {"other", 5}}, RepeatPolicy::kMedian);
      scratch.AddSubmission("ana", "main.py", "");
      auto stored = DecodeRecords(EncodeRecords({scratch.AddRun(r), scratch.AddRun(o)}));
      EXPECT_TRUE(stored.ok());
      if (!stored) return book;
      (*stored)[0].score.score += shift;
      book.AddRecord("ana", "driver", (*stored)[0]);
      book.AddRecord("ana", "other", (*stored)[1]);
    }
    book.Finish();
    return book;
  };
  auto files = [](const Gradebook& b) {
    std::string all = b.GradesCsv() + b.ResultsJson() + b.Summary();
    for (const auto& s : b.submissions())
      all += b.Feedback(s) + b.GradescopeJson(s) + b.ClassroomPayload(s);
    return all;
  };
  const std::string from_runs = files(build(false, 0));
  EXPECT_EQ(files(build(true, 0)), from_runs);
  // Control: a record that differs shows in the files.
  EXPECT_NE(files(build(true, 0.5)), from_runs);
}

}  // namespace
}  // namespace proclab
