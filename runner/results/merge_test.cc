#include "runner/results/merge.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

SuitePlan Plan(int repeat) {
  SuitePlan p;
  p.suite = "s1";
  p.options = "o1";
  p.repeat = repeat;
  p.scenarios = {{"zeta", "a/z.yaml", "h1"}, {"alpha", "b/a.yaml", "h2"}};
  return p;
}

ScenarioResult MadeRun(const std::string& name, const std::string& path, int attempt, bool passed) {
  ScenarioResult r;
  r.scenario = name;
  r.path = path;
  r.file = "/home/ci/checkout/" + path;
  r.attempt = attempt;
  r.passed = passed;
  r.verdicts = {Verdict{passed,
                        false,
                        "exit: 0",
                        "",
                        SourceLoc{r.file, 3, 5},
                        Verdict::Origin::kWritten,
                        std::nullopt,
                        {},
                        std::nullopt}};
  return r;
}

// The suite of Plan(repeat) in `count` shards by count; `flaky` decides
// which runs fail.
std::vector<ResultsFile> Shards(int repeat, int count) {
  std::vector<ResultsFile> out(static_cast<size_t>(count));
  size_t k = 0;
  for (const auto& s : Plan(repeat).scenarios)
    for (int a = 0; a < repeat; ++a, ++k) {
      ResultsFile& f = out[k % out.size()];
      if (!f.plan) {
        f.plan = Plan(repeat);
        f.plan->shard_index = static_cast<int>(k % out.size()) + 1;
        f.plan->shard_count = count;
        f.plan->balance = "count";
        f.path = "shard" + std::to_string(f.plan->shard_index) + ".json";
      }
      f.plan->pairs.emplace_back(s.name, a);
      f.runs.push_back(MadeRun(s.name, s.path, a, !(s.name == "zeta" && a % 7 == 3)));
    }
  return out;
}

std::string Refused(std::vector<ResultsFile> files) {
  auto m = MergeResults(std::move(files));
  EXPECT_FALSE(m.ok());
  return m.ok() ? "" : m.error().message;
}

TEST(MergeResults, FourShardsOfTwentyRepeatsAreOneSuite) {
  auto m = MergeResults(Shards(20, 4));
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->runs.size(), 40U);
  EXPECT_EQ(m->not_run, 0U);
  EXPECT_EQ(m->plan.shard_count, 0);  // as an unsharded run's plan
  EXPECT_EQ(m->plan.repeat, 20);
  // In (path, scenario, attempt) order, with paths relative to the suite.
  EXPECT_EQ(m->runs[0].scenario, "zeta");
  EXPECT_EQ(m->runs[0].file, "a/z.yaml");
  EXPECT_EQ(m->runs[0].verdicts[0].loc.file, "a/z.yaml");
  for (int a = 0; a < 20; ++a) EXPECT_EQ(m->runs[static_cast<size_t>(a)].attempt, a);
  EXPECT_EQ(m->runs[20].scenario, "alpha");
  int passed = 0;
  for (int a = 0; a < 20; ++a) passed += m->runs[static_cast<size_t>(a)].passed;
  EXPECT_EQ(passed, 17);  // flaky: passed 17 of 20
}

TEST(MergeResults, MissingOrRepeatedShardsAreErrors) {
  auto shards = Shards(2, 4);
  shards.erase(shards.begin() + 2);
  EXPECT_NE(Refused(shards).find("missing shard 3 of 4"), std::string::npos);
  shards = Shards(2, 4);
  shards[3] = shards[1];
  shards[3].path = "again.json";
  EXPECT_NE(Refused(shards).find("shard 2 of 4 is given twice"), std::string::npos);
}

TEST(MergeResults, DifferentSuitesAreNamedByTheFileThatDiffers) {
  auto shards = Shards(1, 2);
  shards[1].plan->suite = "s2";
  shards[1].plan->scenarios[1].file_hash = "other";
  EXPECT_NE(Refused(shards).find("different suites: b/a.yaml differs"), std::string::npos);
}

TEST(MergeResults, InconsistentShardsAreErrors) {
  auto shards = Shards(2, 2);
  shards[1].plan->repeat = 3;
  EXPECT_NE(Refused(shards).find("--repeat"), std::string::npos);
  shards = Shards(2, 2);
  shards[1].plan->options = "o2";
  EXPECT_NE(Refused(shards).find("--program"), std::string::npos);
  shards = Shards(2, 2);
  shards[1].plan->balance = "durations:1234";
  EXPECT_NE(Refused(shards).find("--durations"), std::string::npos);
  shards = Shards(2, 2);
  shards[1].plan->pairs.pop_back();  // a pair no shard was given
  EXPECT_NE(Refused(shards).find("no shard was given"), std::string::npos);
  shards = Shards(2, 2);
  shards[0].runs.push_back(shards[1].runs[0]);  // a run its shard was not given
  EXPECT_NE(Refused(shards).find("was not given"), std::string::npos);
  shards = Shards(2, 2);
  shards[1].plan.reset();
  EXPECT_NE(Refused(shards).find("has no plan"), std::string::npos);
}

TEST(MergeResults, AnInterruptedShardLeavesRunsNotMade) {
  auto shards = Shards(2, 2);
  shards[0].runs.pop_back();
  auto m = MergeResults(std::move(shards));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->not_run, 1U);
  EXPECT_EQ(m->runs.size(), 3U);
}

TEST(MergeResults, WholeRunsFromSeveralMachinesAddTheirRepeats) {
  std::vector<ResultsFile> files(2);
  for (size_t i = 0; i < 2; ++i) {
    files[i].path = "m" + std::to_string(i) + ".json";
    files[i].plan = Plan(3);
    for (const auto& s : files[i].plan->scenarios)
      for (int a = 0; a < 3; ++a) files[i].runs.push_back(MadeRun(s.name, s.path, a, true));
  }
  auto m = MergeResults(files);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->plan.repeat, 6);
  ASSERT_EQ(m->runs.size(), 12U);
  for (int a = 0; a < 6; ++a) EXPECT_EQ(m->runs[static_cast<size_t>(a)].attempt, a);
  // A shard among whole runs is refused.
  files.push_back(Shards(3, 2)[0]);
  EXPECT_NE(Refused(files).find("a whole run"), std::string::npos);
}

}  // namespace
}  // namespace proclab
