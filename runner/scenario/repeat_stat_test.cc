// Statistics across repeats in the scenario format (design.md §3.10.4):
// read with the syntax of each kind's own bounds; mistakes at file:line:col.
#include "runner/scenario/repeat_stat.h"

#include <gtest/gtest.h>

#include "runner/scenario/yaml_front_end.h"

namespace proclab {
namespace {

Result<Scenario> StatLoad(const std::string& expect) {
  return ParseYamlScenario("scenario: x\nactors:\n  a:\n    - exit: 0\nexpect:\n" + expect,
                           "x.yaml");
}

TEST(RepeatStatReading, EachKindTakesStatistics) {
  auto r = StatLoad(
      "  - duration: {process: a, median: {max: 200ms}, p90: {min: 10ms, max: 1s}}\n"
      "  - duration: {min: 5ms, max: {max: 2s}}\n"
      "  - cpu: {process: a, mean: {min: 0.1s * cpus}}\n"
      "  - parallelism: {min: {min: 0.7 * cpus}, max: 1.9}\n"
      "  - rss: {process: a, median: {max: 64MiB}}\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& e = r->expectations;
  ASSERT_EQ(e.size(), 5u);
  ASSERT_EQ(e[0].Stats().size(), 2u);
  EXPECT_EQ(e[0].Stats()[0].stat, RepeatStat::kMedian);
  EXPECT_DOUBLE_EQ(e[0].Stats()[0].max->Eval([](const std::string&) { return 0.0; }), 0.2);
  EXPECT_EQ(e[0].Stats()[1].stat, RepeatStat::kP90);
  EXPECT_EQ(e[0].Stats()[0].loc.line, 6);
  EXPECT_EQ(e[0].Describe(),
            "duration: {process: a, median: {max: 200ms}, p90: {min: 10ms, max: 1s}}");
  // `min: 5ms` is the per-run bound, `max: {…}` the statistic.
  EXPECT_EQ(e[1].min_us, 5000);
  EXPECT_FALSE(e[1].max_us);
  ASSERT_EQ(e[1].Stats().size(), 1u);
  EXPECT_EQ(e[1].Stats()[0].stat, RepeatStat::kMax);
  EXPECT_TRUE(e[2].Stats()[0].min->uses("cpus"));
  EXPECT_EQ(e[3].Stats()[0].stat, RepeatStat::kMin);
  EXPECT_TRUE(e[3].resources->max);
  EXPECT_FALSE(e[3].resources->min);
  EXPECT_EQ(e[4].resources->max_rss_kb, 0);  // no per-run bound
  EXPECT_DOUBLE_EQ(e[4].Stats()[0].max->Eval([](const std::string&) { return 0.0; }),
                   64.0 * 1024 * 1024);
  EXPECT_EQ(e[4].Describe(), "rss: {process: a, median: {max: 64MiB}}");
}

TEST(RepeatStatReading, MistakesSayWhereTheyAre) {
  // An unknown statistic is an unknown key, at its line and column.
  auto r = StatLoad("  - duration: {process: a, medain: {max: 200ms}}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.file, "x.yaml");
  EXPECT_EQ(r.error().loc.line, 6);
  EXPECT_EQ(r.error().loc.column, 28) << r.error().message;
  EXPECT_NE(r.error().message.find("medain"), std::string::npos) << r.error().message;
  // A statistic's bound in the kind's syntax: a duration needs its unit.
  r = StatLoad("  - duration: {median: {max: 200}}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.line, 6);
  EXPECT_EQ(r.error().loc.column, 30) << r.error().message;
  EXPECT_NE(r.error().message.find("duration.median.max"), std::string::npos) << r.error().message;
  r = StatLoad("  - cpu: {median: {max: 0.5 * cpu}}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.column, 31) << r.error().message;
  EXPECT_NE(r.error().message.find("'cpu' is not a number"), std::string::npos);
  r = StatLoad("  - rss: {process: a, p90: {max: lots}}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a size"), std::string::npos) << r.error().message;
  // A statistic is a mapping, and needs a bound.
  r = StatLoad("  - duration: {median: 200ms}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.column, 24) << r.error().message;
  EXPECT_NE(r.error().message.find("statistic across repeats"), std::string::npos);
  r = StatLoad("  - parallelism: {p90: {}}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("parallelism.p90 needs min and/or max"), std::string::npos)
      << r.error().message;
  r = StatLoad("  - duration: {median: {max: 1s, least: 2s}}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("least"), std::string::npos) << r.error().message;
  // rss without `max` still needs a statistic.
  r = StatLoad("  - rss: {process: a}\n");
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace proclab
