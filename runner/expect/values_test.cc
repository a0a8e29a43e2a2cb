// value and compare on hand-built timelines. Each has its negative control:
// the same timeline against a bound it breaks.
#include <gtest/gtest.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

NumberExpr ValueNum(const std::string& text, std::vector<std::string> series = {}) {
  NumberExpr::Syntax syntax(false, {"cpus"});
  syntax.series = std::move(series);
  NumberExpr::ParseError err;
  auto e = NumberExpr::Parse(text, syntax, &err);
  EXPECT_TRUE(e) << err.message;
  return e ? *e : NumberExpr::Constant(0);
}

Expectation ValueExp(std::string name, std::string min, std::string max, std::string stat = "") {
  Expectation e = Exp(K::kValue);
  auto v = std::make_shared<ValueCheck>();
  v->name = std::move(name);
  if (!min.empty()) v->min = ValueNum(min);
  if (!max.empty()) v->max = ValueNum(max);
  v->stat = std::move(stat);
  e.value = v;
  return e;
}

Expectation CompareExp(std::string left, std::string op, std::string right) {
  Expectation e = Exp(K::kCompare);
  auto c = std::make_shared<CompareCheck>();
  const std::vector<std::string> names = {"serial", "threads", "lock_wait"};
  c->left = ValueNum(left, names);
  c->op = std::move(op);
  c->right = ValueNum(right, names);
  e.compare = c;
  return e;
}

Measure Declare(std::string name, std::string pattern, std::string by = "") {
  Measure m;
  m.name = std::move(name);
  m.pattern = std::move(pattern);
  m.by = std::move(by);
  m.loc = SourceLoc{"unit.yaml", 3, 5};
  return m;
}

// main (pid 2) prints its serial time; worker (pid 3) its thread times.
Tl Benchmark() {
  Tl tl;
  tl.Spawn(1000, 2).Actor(1000, 2, "main").Fork(2000, 3, 2).Actor(2000, 3, "worker");
  tl.Output(100'000, 2, "serial cpu 2.0\n");
  tl.Output(200'000, 3, "threads cpu 2.5\n");
  tl.Output(300'000, 3, "threads cpu 2.4\n");
  tl.Output(400'000, 2, "threads cpu 9.9\n");  // not by worker: not measured
  tl.Exit(500'000, 3, 0).Reap(500'100, 3, Party::Process(2));
  tl.Exit(600'000, 2, 0).Reap(600'100, 2, Party::Lab()).End(600'200).Cpus(2);
  return tl;
}

Scenario BenchmarkScenario() {
  Scenario s = Actors({"main", "worker"});
  s.measures = {Declare("serial", "serial cpu (?<value>[0-9.]+)"),
                Declare("threads", "threads cpu (?<value>[0-9.]+)", "worker")};
  return s;
}

TEST(ValueCheck, EachValueMustLieWithinTheBounds) {
  Tl tl = Benchmark();
  Verdict ok = JudgeOne(BenchmarkScenario(), tl.t, ValueExp("threads", "2", "3"));
  EXPECT_TRUE(ok.passed) << Show(ok);
  EXPECT_TRUE(Has(ok.explanation, "all 2 values of 'threads' are between 2 and 3"));
  EXPECT_EQ(ok.evidence, (std::vector<size_t>{5, 6}));
  // Negative control: 2.4 is under 2.45; the verdict names it, its writer and time.
  Verdict low = JudgeOne(BenchmarkScenario(), tl.t, ValueExp("threads", "2.45", ""));
  EXPECT_FALSE(low.passed) << Show(low);
  EXPECT_TRUE(Has(low.explanation,
                  "1 of the 2 values of 'threads' is not at least 2.45: 2.4 by worker (pid 3) "
                  "at 0.300s"));
  EXPECT_TRUE(Lacks(low.explanation, "2.5 by"));
  EXPECT_EQ(low.evidence, (std::vector<size_t>{6}));
  // cpus in a bound.
  Verdict cpus = JudgeOne(BenchmarkScenario(), tl.t, ValueExp("serial", "", "0.5 * cpus"));
  EXPECT_FALSE(cpus.passed) << Show(cpus);
  EXPECT_TRUE(Has(cpus.explanation, "at most 0.5 * cpus = 1"));
}

TEST(ValueCheck, BoundsMayReadOtherMeasuredNames) {
  Tl tl = Benchmark();
  Expectation e = ValueExp("threads", "", "");
  auto v = std::make_shared<ValueCheck>(*e.value);
  v->max = ValueNum("1.3 * median(serial)", {"serial", "threads"});
  e.value = v;
  Verdict ok = JudgeOne(BenchmarkScenario(), tl.t, e);
  EXPECT_TRUE(ok.passed) << Show(ok);
  EXPECT_TRUE(Has(ok.explanation,
                  "at most 1.3 * median(serial) = 2.6 (median(serial) = 2 (over "
                  "1 value))"));
  // Negative control: a tighter bound breaks the 2.5.
  v->max = ValueNum("1.2 * serial - 0.05", {"serial", "threads"});
  Verdict no = JudgeOne(BenchmarkScenario(), tl.t, e);
  EXPECT_FALSE(no.passed) << Show(no);
  EXPECT_TRUE(Has(no.explanation, "2 of the 2 values of 'threads' are not at most"));
}

TEST(ValueCheck, AStatisticPicksOneValue) {
  Tl tl = Benchmark();
  EXPECT_TRUE(JudgeOne(BenchmarkScenario(), tl.t, ValueExp("threads", "", "2.45", "min")).passed);
  Verdict median = JudgeOne(BenchmarkScenario(), tl.t, ValueExp("threads", "", "2.4", "median"));
  EXPECT_FALSE(median.passed) << Show(median);
  EXPECT_TRUE(Has(median.explanation,
                  "the median of 2 values of 'threads' is 2.45, which is not "
                  "at most 2.4"));
  EXPECT_TRUE(JudgeOne(BenchmarkScenario(), tl.t, ValueExp("threads", "4.9", "4.9", "sum")).passed);
  EXPECT_TRUE(JudgeOne(BenchmarkScenario(), tl.t, ValueExp("threads", "2", "2", "count")).passed);
  EXPECT_FALSE(JudgeOne(BenchmarkScenario(), tl.t, ValueExp("threads", "2.5", "", "last")).passed);
}

TEST(ValueCheck, ANameNeverMeasuredFailsAndSaysWhy) {
  Tl tl = Benchmark();
  Scenario s = BenchmarkScenario();
  s.measures.push_back(Declare("waits", "waited (?<value>[0-9.]+)"));
  Verdict v = JudgeOne(s, tl.t, ValueExp("waits", "0", ""));
  EXPECT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "no value was measured for 'waits'"));
  EXPECT_TRUE(Has(v.explanation, "no line matched 'waited (?<value>[0-9.]+)'"));
  // A match whose group holds no number.
  s.measures.push_back(Declare("word", "serial (?<value>[a-z]+)"));
  Verdict word = JudgeOne(s, tl.t, ValueExp("word", "0", ""));
  EXPECT_FALSE(word.passed) << Show(word);
  EXPECT_TRUE(Has(word.explanation, "the group 'value' held no number (first: 'cpu' by main"));
}

TEST(ValueCheck, ValueEventsOfLuaActorsCount) {
  Tl tl = Benchmark();
  Event e;
  e.t_us = 350'000;
  e.type = EventType::kValue;
  e.pid = 3;
  e.name = "lock_wait";
  e.value = 0.25;
  tl.t.Add(e);
  Scenario s = BenchmarkScenario();
  Verdict v = JudgeOne(s, tl.t, ValueExp("lock_wait", "", "0.1"));
  EXPECT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "0.25 by worker (pid 3) at 0.350s"));
  EXPECT_TRUE(JudgeOne(s, tl.t, ValueExp("lock_wait", "", "0.3")).passed);
}

TEST(CompareCheck, ComparesLastValuesAndStatistics) {
  Tl tl = Benchmark();
  Verdict ok = JudgeOne(BenchmarkScenario(), tl.t, CompareExp("threads", ">", "0.9 * serial"));
  EXPECT_TRUE(ok.passed) << Show(ok);
  EXPECT_TRUE(Has(ok.explanation, "2.4 > 1.8 holds"));
  EXPECT_TRUE(Has(ok.explanation,
                  "serial = 2 (the last of 1 value: 2 by main (pid 2) at "
                  "0.100s)"));
  // Negative control: the same values the other way round.
  Verdict no = JudgeOne(BenchmarkScenario(), tl.t, CompareExp("threads", "<", "serial"));
  EXPECT_FALSE(no.passed) << Show(no);
  EXPECT_TRUE(Has(no.explanation, "2.4 < 2 does not hold"));
  Verdict stat = JudgeOne(BenchmarkScenario(), tl.t, CompareExp("max(threads)", "==", "2.5"));
  EXPECT_TRUE(stat.passed) << Show(stat);
  EXPECT_TRUE(Has(stat.explanation, "max(threads) = 2.5 (over 2 values)"));
  EXPECT_TRUE(
      JudgeOne(BenchmarkScenario(), tl.t, CompareExp("median(threads)", ">=", "2.45")).passed);
  EXPECT_FALSE(
      JudgeOne(BenchmarkScenario(), tl.t, CompareExp("min(threads, serial)", ">", "2")).passed);
}

TEST(CompareCheck, ANameWithoutValuesFails) {
  Tl tl = Benchmark();
  Scenario s = BenchmarkScenario();
  s.measures.push_back(Declare("lock_wait", ""));
  Verdict v = JudgeOne(s, tl.t, CompareExp("lock_wait", "<", "1"));
  EXPECT_FALSE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "declared for lab.measure, which no actor called with it"));
  // count() of a name without values is 0, not a failure.
  EXPECT_TRUE(JudgeOne(s, tl.t, CompareExp("count(lock_wait)", "==", "0")).passed);
}

}  // namespace
}  // namespace proclab::expect_test
