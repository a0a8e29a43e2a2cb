// Replies: `after:` (with `within:` and `first:`) on output and signal
// expectations, judged on hand-built timelines.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

// The conductor (3) sends SIGUSR1 to the driver (2) twice; the driver
// answers the first at once and the second after `second_delay_us`.
Timeline TwoDepartures(int64_t second_delay_us) {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(1'000, 3, 2);
  tl.Delivered(500'000, SIGUSR1, 2, Party::Process(3), Outcome::kHandled)
      .Output(510'000, 2, "发车了");
  tl.Delivered(1'500'000, SIGUSR1, 2, Party::Process(3), Outcome::kHandled)
      .Output(1'500'000 + second_delay_us, 2, "发车了");
  return std::move(tl.End(5'000'000).t);
}

Expectation LineAfter(const std::string& event, std::optional<int64_t> within, bool first = false) {
  Expectation e = OutputExp(K::kOutput, "发车了", "driver");
  auto name = ParseEventName(event);
  EXPECT_TRUE(name.ok());
  e.after = std::make_shared<const EventName>(*name);
  e.within_us = within;
  e.first = first;
  return e;
}

TEST(AfterTest, EachDeliveryIsAnsweredWithinTheWindow) {
  Verdict v = JudgeOne(DriverConductor(), TwoDepartures(100'000),
                       LineAfter("signal SIGUSR1 to driver", 1'500'000));
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_NE(v.explanation.find("each of the 2 times"), std::string::npos) << v.explanation;
  EXPECT_NE(v.explanation.find("after 10ms, 100ms"), std::string::npos) << v.explanation;
}

// Negative control: the second answer comes too late.
TEST(AfterTest, ALateAnswerFailsAndSaysWhichOccurrence) {
  Verdict v = JudgeOne(DriverConductor(), TwoDepartures(2'000'000),
                       LineAfter("signal SIGUSR1 to driver", 1'500'000));
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.explanation.find("after 'signal SIGUSR1 to driver' at 1.500s (occurrence 2 of 2)"),
            std::string::npos)
      << v.explanation;
  EXPECT_NE(v.explanation.find("came only 2s later, at 3.500s (not within 1.5s)"),
            std::string::npos)
      << v.explanation;
}

TEST(AfterTest, FirstOnlyLooksAtTheFirstOccurrence) {
  Verdict v = JudgeOne(DriverConductor(), TwoDepartures(2'000'000),
                       LineAfter("signal SIGUSR1 to driver", 1'500'000, true));
  EXPECT_TRUE(v.passed) << v.explanation;
}

TEST(AfterTest, AnEventThatNeverHappenedFails) {
  Verdict v = JudgeOne(DriverConductor(), TwoDepartures(0),
                       LineAfter("signal SIGUSR2 to driver", 1'500'000));
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.explanation.find("'signal SIGUSR2 to driver' never happened"), std::string::npos)
      << v.explanation;
}

// Each occurrence looks for its reply after itself, so one line may follow
// two events; `within` then bounds the wait of each.
TEST(AfterTest, WithinBoundsTheWaitOfEachOccurrence) {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(1'000, 3, 2);
  tl.Delivered(500'000, SIGUSR1, 2, Party::Process(3), Outcome::kHandled);
  tl.Delivered(600'000, SIGUSR1, 2, Party::Process(3), Outcome::kHandled).Output(700'000, 2, "x");
  Expectation e = LineAfter("signal SIGUSR1 to driver", std::nullopt);
  e.pattern = "x";
  Verdict v = JudgeOne(DriverConductor(), tl.End(1'000'000).t, e);
  EXPECT_TRUE(v.passed) << v.explanation;  // both are followed by the line: "follows" each
  e.within_us = 150'000;
  v = JudgeOne(DriverConductor(), tl.t, e);
  EXPECT_FALSE(v.passed) << v.explanation;  // but not within 150ms of the first
}

TEST(AfterTest, ASignalAfterAKeyPress) {
  Scenario s = DriverConductor();
  Step key;
  key.kind = Step::Kind::kKey;
  key.key = "ctrl-c";
  s.steps = {key};
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(1'000, 3, 2);
  tl.SentGroup(300'000, SIGINT, Party::Tty(), 2)
      .Delivered(300'100, SIGINT, 3, Party::Tty(), Outcome::kHandled)
      .Delivered(400'000, SIGUSR1, 2, Party::Process(3), Outcome::kHandled);
  tl.t.steps.push_back(StepResult{0, true, "", 300'000, "", "key ctrl-c"});
  Expectation e = SignalExp(SIGUSR1, "conductor", "driver", Outcome::kHandled);
  e.after = std::make_shared<const EventName>(*ParseEventName("key ctrl-c"));
  e.within_us = 1'000'000;
  Verdict v = JudgeOne(s, tl.End(1'000'000).t, e);
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_NE(v.explanation.find("'key ctrl-c' at 0.300s was answered by SIGUSR1 to driver from "
                               "conductor 100ms later"),
            std::string::npos)
      << v.explanation;
  // Negative control: a key never pressed.
  e.after = std::make_shared<const EventName>(*ParseEventName("key ctrl-backslash"));
  v = JudgeOne(s, tl.t, e);
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.explanation.find("ctrl-backslash was never pressed"), std::string::npos)
      << v.explanation;
}

}  // namespace
}  // namespace proclab::expect_test
