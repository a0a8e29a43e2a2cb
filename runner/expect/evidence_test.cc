// Verdicts point at the events they rest on (Verdict::evidence): indices into
// the timeline's events, as the trace JSON stores them. For something that
// never happened, at the nearest relevant events. Each case checks an index
// that must be there and one that must not (its negative control).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>

#include "runner/expect/judge.h"
#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

bool Holds(const Verdict& v, size_t i) {
  return std::find(v.evidence.begin(), v.evidence.end(), i) != v.evidence.end();
}

// 0 spawn driver, 1 fork conductor, 2 SIGINT tty→driver ignored,
// 3 conductor sends SIGUSR2 (not SIGUSR1), 4 delivered to driver, 5 driver
// prints, 6 conductor exits, 7 driver reaps it, 8 driver exits, 9 lab reaps.
Timeline DcRun() {
  Tl tl;
  tl.Spawn(1'000, 2, "python3", {"python3", "dc.py"}).Fork(2'000, 3, 2);
  tl.Delivered(300'000, SIGINT, 2, Party::Tty(), Outcome::kIgnored);
  tl.Sent(310'000, SIGUSR2, Party::Process(3), 2);
  tl.Delivered(310'100, SIGUSR2, 2, Party::Process(3), Outcome::kHandled);
  tl.Output(320'000, 2, "到站了\n");
  tl.Exit(400'000, 3, 0).Reap(400'100, 3, Party::Process(2));
  tl.Exit(500'000, 2, 0).Reap(500'100, 2, Party::Process(1));
  return std::move(tl.End(600'000).t);
}

TEST(Evidence, AMatchedDeliveryPointsAtItselfAndItsSend) {
  Verdict v = JudgeOne(DriverConductor(), DcRun(),
                       SignalExp(SIGUSR2, "conductor", "driver", Outcome::kHandled));
  ASSERT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Holds(v, 3) && Holds(v, 4)) << Show(v);
  EXPECT_FALSE(Holds(v, 2)) << "the SIGINT is not this verdict's";
}

TEST(Evidence, ANeverSentSignalPointsAtWhatWasSentInstead) {
  Verdict v = JudgeOne(DriverConductor(), DcRun(),
                       SignalExp(SIGUSR1, "conductor", "driver", Outcome::kHandled));
  ASSERT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Holds(v, 3)) << "the SIGUSR2 it sent instead: " << Show(v);
  EXPECT_FALSE(Holds(v, 5)) << "output has nothing to do with it";
  EXPECT_TRUE(std::is_sorted(v.evidence.begin(), v.evidence.end()));
}

TEST(Evidence, AnExitPointsAtTheExitAndTheReap) {
  Expectation e = Exp(K::kExit, "driver");
  e.code = 0;
  Verdict v = JudgeOne(DriverConductor(), DcRun(), e);
  ASSERT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Holds(v, 8) && Holds(v, 9)) << Show(v);
  EXPECT_FALSE(Holds(v, 6)) << "the conductor's exit is not the driver's";
}

TEST(Evidence, AnOutputThatNeverCamePointsAtTheLastLines) {
  Verdict v = JudgeOne(DriverConductor(), DcRun(), OutputExp(K::kOutput, "发车了", "driver"));
  ASSERT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Holds(v, 5)) << "the line printed instead: " << Show(v);
  EXPECT_FALSE(Holds(v, 2));
}

TEST(Evidence, AnOrderPointsAtEachEntry) {
  Expectation e = Exp(K::kOrder);
  EventName a, b;
  a.kind = b.kind = EventName::Kind::kExit;
  a.process = "conductor";
  a.text = "exit conductor";
  b.process = "driver";
  b.text = "exit driver";
  e.order = {a, b};
  Verdict v = JudgeOne(DriverConductor(), DcRun(), e);
  ASSERT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.evidence, (std::vector<size_t>{6, 8})) << Show(v);
}

TEST(Evidence, AZombiePointsAtItsExitAndItsParentsEnd) {
  Tl tl;
  tl.Spawn(1'000, 2).Fork(2'000, 3, 2).Exit(10'000, 3, 0).Exit(300'000, 2, 0);
  tl.Reap(300'100, 3, Party::Process(1)).Reap(300'200, 2, Party::Process(1));
  Scenario s = DriverConductor();
  Verdict v = JudgeOne(s, tl.End(400'000).t, Exp(K::kNoZombies));
  ASSERT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Holds(v, 2) && Holds(v, 3) && Holds(v, 4)) << Show(v);
  EXPECT_FALSE(Holds(v, 0));
}

}  // namespace
}  // namespace proclab::expect_test
