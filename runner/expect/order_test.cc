// order: every listed event happened, in the listed order; otherwise say
// which never happened, or which came first, with the times.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

using OK = OrderItem::Kind;

// driver (2) forks conductor (3) at 10ms, gets SIGUSR1 at 200ms, prints
// "ready" at 250ms, checkpoint "mid" at 300ms; the conductor exits at
// `conductor_exit`, the driver at 600ms.
Tl OrderRun(int64_t conductor_exit = 500'000) {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(10'000, 3, 2);
  tl.Sent(200'000, SIGUSR1, Party::Process(3), 2)
      .Delivered(200'100, SIGUSR1, 2, Party::Process(3), Outcome::kHandled);
  tl.Output(250'000, 2, "ready\n")
      .Checkpoint(300'000, "mid", {Snap(2, kLab, 'S'), Snap(3, 2, 'S')});
  tl.Exit(conductor_exit, 3, 0).Reap(conductor_exit + 10, 3, Party::Process(2));
  return std::move(tl.Exit(600'000, 2, 0).Reap(600'010, 2, Party::Process(kLab)).End(700'000));
}

Expectation Order(std::vector<OrderItem> items) {
  Expectation e = Exp(K::kOrder);
  e.order = std::move(items);
  return e;
}

OrderItem SignalItem(int sig, const std::string& to, const std::string& text) {
  OrderItem i = Item(OK::kSignal, text, to);
  i.sig = sig;
  return i;
}
OrderItem OutputItem(const std::string& pattern, const std::string& by, const std::string& text) {
  OrderItem i = Item(OK::kOutput, text, by);
  i.pattern = pattern;
  return i;
}
OrderItem CheckpointItem(const std::string& name) {
  OrderItem i = Item(OK::kCheckpoint, "checkpoint " + name);
  i.name = name;
  return i;
}

const Scenario kDcOrder = DriverConductor();

TEST(ExpectOrderTest, PassesAndListsTheTimes) {
  Verdict v = JudgeOne(kDcOrder, OrderRun().t,
                       Order({Item(OK::kExit, "exit conductor", "conductor"),
                              Item(OK::kExit, "exit driver", "driver")}));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.expectation, "order: [exit conductor, exit driver]");
  EXPECT_EQ(v.explanation, "'exit conductor' at 0.500s, 'exit driver' at 0.600s");
}

TEST(ExpectOrderTest, FailsWhenReversed) {
  Verdict v = JudgeOne(kDcOrder, OrderRun(/*conductor_exit=*/650'000).t,
                       Order({Item(OK::kExit, "exit conductor", "conductor"),
                              Item(OK::kExit, "exit driver", "driver")}));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation,
            "'exit driver' happened before 'exit conductor': 'exit conductor' at 0.650s, 'exit "
            "driver' at 0.600s");
}

TEST(ExpectOrderTest, EveryKindOfItem) {
  auto items = std::vector<OrderItem>{
      Item(OK::kFork, "fork driver", "driver"),
      Item(OK::kFork, "fork conductor", "conductor"),
      SignalItem(SIGUSR1, "driver", "signal SIGUSR1 to driver"),
      OutputItem("^ready$", "driver", "output \"^ready$\" by driver"),
      CheckpointItem("mid"),
      Item(OK::kExit, "exit conductor", "conductor"),
      Item(OK::kReap, "reap conductor", "conductor"),
      Item(OK::kExit, "exit driver", "driver"),
  };
  Verdict v = JudgeOne(kDcOrder, OrderRun().t, Order(items));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(
      Has(v.explanation,
          "'fork driver' at 0.000s, 'fork conductor' at 0.010s, 'signal SIGUSR1 to driver' "
          "at 0.200s, 'output \"^ready$\" by driver' at 0.250s, 'checkpoint mid' at 0.300s"));
  std::swap(items[3], items[4]);  // the checkpoint came after the output
  v = JudgeOne(kDcOrder, OrderRun().t, Order(items));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "'output \"^ready$\" by driver' happened before 'checkpoint mid'"))
      << Show(v);
}

TEST(ExpectOrderTest, AnEventThatNeverHappened) {
  Tl tl;  // the conductor never exits: the lab's run ended first
  tl.Spawn(0, 2).Fork(10'000, 3, 2).Exit(600'000, 2, 0).End(700'000);
  Verdict v = JudgeOne(kDcOrder, tl.t,
                       Order({Item(OK::kExit, "exit conductor", "conductor"),
                              Item(OK::kExit, "exit driver", "driver")}));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "'exit conductor' never happened: conductor never exited");

  v = JudgeOne(kDcOrder, OrderRun().t,
               Order({CheckpointItem("late"), Item(OK::kExit, "exit driver", "driver")}));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "'checkpoint late' never happened: checkpoint 'late' was never taken");

  v = JudgeOne(kDcOrder, OrderRun().t,
               Order({SignalItem(SIGUSR2, "driver", "signal SIGUSR2 to driver")}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(
      Has(v.explanation, "'signal SIGUSR2 to driver' never happened: driver never got SIGUSR2"))
      << Show(v);

  v = JudgeOne(kDcOrder, OrderRun().t, Order({OutputItem("bye", "", "output \"bye\"")}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "'output \"bye\"' never happened: nothing matched 'bye'"))
      << Show(v);

  v = JudgeOne(kDcOrder, tl.t, Order({Item(OK::kReap, "reap driver", "driver")}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "driver was never reaped")) << Show(v);
}

TEST(ExpectOrderTest, AProcessThatNeverExisted) {
  Tl tl;
  tl.Spawn(0, 2).Exit(600'000, 2, 0).End(700'000);
  Verdict v = JudgeOne(kDcOrder, tl.t,
                       Order({Item(OK::kFork, "fork conductor", "conductor"),
                              Item(OK::kExit, "exit driver", "driver")}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(
      Has(v.explanation, "'fork conductor' never happened: no process was ever called 'conductor'"))
      << Show(v);
  v = JudgeOne(kDcOrder, tl.t,
               Order({OutputItem("{pid:conductor}", "", "output \"{pid:conductor}\"")}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'conductor'")) << Show(v);
}

TEST(ExpectOrderTest, OutputItemsExpandPidPlaceholders) {
  Tl tl = OrderRun();
  tl.Output(550'000, 2, "child 3 done\n");
  Verdict v =
      JudgeOne(kDcOrder, tl.t,
               Order({Item(OK::kExit, "exit conductor", "conductor"),
                      OutputItem("child {pid:conductor} done", "driver", "output by driver")}));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "'output by driver' at 0.550s"));
}

}  // namespace
}  // namespace proclab::expect_test

namespace proclab::expect_test {
namespace {

OrderItem Parsed(const std::string& text) {
  auto e = ParseEventName(text);
  EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message);
  return e.ok() ? *e : OrderItem{};
}

// A run with three "tick" lines by two workers, SIGUSR1 from the lab and
// then from worker a, and an exec.
Tl Ticks() {
  Tl tl;
  tl.Spawn(0, 2, "python3").Fork(10'000, 3, 2).Fork(11'000, 4, 2);
  tl.Output(100'000, 3, "tick\n").Output(200'000, 4, "tick\n");
  tl.Delivered(250'000, SIGUSR1, 2, Party::Lab(), Outcome::kHandled);
  tl.Output(300'000, 3, "tick\n");
  tl.Delivered(350'000, SIGUSR1, 2, Party::Process(3), Outcome::kHandled);
  tl.Exec(400'000, 4, {"sleep", "1"}, "sleep");
  return tl;
}

Scenario OrderWorkers() {
  Scenario s;
  s.name = "unit";
  s.program = {"python3", "workers.py"};
  s.roles = {MainRole("boss"), ChildRole("worker", "boss")};
  return s;
}

TEST(ExpectOrderTest, AnOccurrenceCountsAcrossEveryProcessOfTheName) {
  const Scenario s = OrderWorkers();
  Verdict v =
      JudgeOne(s, Ticks().t,
               Order({Parsed("output \"tick\" by worker #2"), Parsed("signal SIGUSR1 to boss"),
                      Parsed("output \"tick\" by worker #3")}));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "'output \"tick\" by worker #2' at 0.200s")) << Show(v);
  // Negative control: the third tick came after the first signal, not before.
  v = JudgeOne(s, Ticks().t,
               Order({Parsed("output \"tick\" by worker #3"), Parsed("signal SIGUSR1 to boss")}));
  EXPECT_FALSE(v.passed) << Show(v);
  v = JudgeOne(s, Ticks().t, Order({Parsed("output \"tick\" by worker #4"), Parsed("exit boss")}));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "it happened 3 times, never a 4th time")) << Show(v);
}

TEST(ExpectOrderTest, ASignalFromASender) {
  const Scenario s = OrderWorkers();
  Verdict v = JudgeOne(s, Ticks().t,
                       Order({Parsed("output \"tick\" by worker #3"),
                              Parsed("signal SIGUSR1 from worker to boss")}));
  EXPECT_TRUE(v.passed) << Show(v);
  // Without `from`, the lab's earlier delivery counts, and the order breaks.
  v = JudgeOne(s, Ticks().t,
               Order({Parsed("output \"tick\" by worker #3"), Parsed("signal SIGUSR1 to boss")}));
  EXPECT_FALSE(v.passed) << Show(v);
  v = JudgeOne(s, Ticks().t,
               Order({Parsed("signal SIGUSR1 from lab to boss"), Parsed("exec worker")}));
  EXPECT_TRUE(v.passed) << Show(v);
}

TEST(EventNameTest, TheGrammar) {
  EXPECT_EQ(Parsed("exec worker").kind, OrderItem::Kind::kExec);
  OrderItem sig = Parsed("signal USR1 from lab to boss #2");
  EXPECT_EQ(sig.sig, SIGUSR1);
  EXPECT_EQ(sig.from, "lab");
  EXPECT_EQ(sig.process, "boss");
  EXPECT_EQ(sig.nth, 2);
  OrderItem out = Parsed("output \"a #1 \"b\" by w\t#3");
  EXPECT_EQ(out.pattern, "a #1 \"b");
  EXPECT_EQ(out.process, "w");
  EXPECT_EQ(out.nth, 3);
  for (const char* bad : {"exit", "signal", "signal SIGFOO to x", "output junk \"x\"",
                          "signal USR1 to a to b", "exit x #0", "exit x #y", "fork a b"})
    EXPECT_FALSE(ParseEventName(bad).ok()) << bad;
}

}  // namespace
}  // namespace proclab::expect_test
