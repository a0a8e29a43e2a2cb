#include "runner/run/shard_plan.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace proclab {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::pair<int, int> Chosen(const std::string& spec, int shards,
                           std::map<std::string, std::string> vars) {
  auto c = ChooseShard(spec, shards, Env(std::move(vars)));
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return c.ok() ? std::pair{c->index, c->count} : std::pair{0, 0};
}

std::string Refused(const std::string& spec, int shards, std::map<std::string, std::string> vars) {
  auto c = ChooseShard(spec, shards, Env(std::move(vars)));
  EXPECT_FALSE(c.ok());
  return c.ok() ? "" : c.error().message;
}

TEST(ChooseShard, GivenByHand) {
  EXPECT_EQ(Chosen("2/4", 0, {}), std::pair(2, 4));
  EXPECT_EQ(Chosen("2/4", 4, {}), std::pair(2, 4));
  EXPECT_NE(Refused("0/4", 0, {}).find("1 <= I <= N"), std::string::npos);
  Refused("5/4", 0, {});
  Refused("2", 0, {});
  Refused("a/b", 0, {});
  EXPECT_NE(Refused("2/4", 3, {}).find("disagrees"), std::string::npos);
}

// Each engine's numbering: Kubernetes and our own variable count from 0,
// GitLab from 1, Slurm from SLURM_ARRAY_TASK_MIN.
TEST(ChooseShard, KubernetesIndexedJobCountsFromZero) {
  EXPECT_EQ(Chosen("auto", 4, {{"JOB_COMPLETION_INDEX", "0"}}), std::pair(1, 4));
  EXPECT_EQ(Chosen("auto", 0, {{"JOB_COMPLETION_INDEX", "3"}, {"PROCLAB_SHARDS", "4"}}),
            std::pair(4, 4));
  // Kubernetes gives no count: without one, say where to put it.
  EXPECT_NE(Refused("auto", 0, {{"JOB_COMPLETION_INDEX", "1"}}).find("--shards N"),
            std::string::npos);
  Refused("auto", 4, {{"JOB_COMPLETION_INDEX", "4"}});
  Refused("auto", 4, {{"JOB_COMPLETION_INDEX", "x"}});
}

TEST(ChooseShard, SlurmArrayIsOffsetByItsMinimumAndStep) {
  std::map<std::string, std::string> slurm = {{"SLURM_ARRAY_TASK_ID", "12"},
                                              {"SLURM_ARRAY_TASK_MIN", "10"},
                                              {"SLURM_ARRAY_TASK_COUNT", "4"}};
  EXPECT_EQ(Chosen("auto", 0, slurm), std::pair(3, 4));
  slurm["SLURM_ARRAY_TASK_STEP"] = "2";  // --array=10-16:2: 10 12 14 16
  EXPECT_EQ(Chosen("auto", 0, slurm), std::pair(2, 4));
  slurm["SLURM_ARRAY_TASK_ID"] = "13";
  EXPECT_NE(Refused("auto", 0, slurm).find("multiple of the step"), std::string::npos);
  Refused("auto", 0, {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
}

TEST(ChooseShard, GitLabCountsFromOne) {
  EXPECT_EQ(Chosen("auto", 0, {{"CI_NODE_INDEX", "1"}, {"CI_NODE_TOTAL", "3"}}), std::pair(1, 3));
  EXPECT_EQ(Chosen("auto", 0, {{"CI_NODE_INDEX", "3"}, {"CI_NODE_TOTAL", "3"}}), std::pair(3, 3));
  Refused("auto", 0, {{"CI_NODE_INDEX", "0"}, {"CI_NODE_TOTAL", "3"}});
  Refused("auto", 0, {{"CI_NODE_INDEX", "4"}, {"CI_NODE_TOTAL", "3"}});
}

TEST(ChooseShard, AGitHubMatrixIndexIsPassedInAndWinsOverEngines) {
  EXPECT_EQ(Chosen("auto", 0,
                   {{"PROCLAB_SHARD_INDEX", "1"},
                    {"PROCLAB_SHARDS", "2"},
                    {"CI_NODE_INDEX", "1"},
                    {"CI_NODE_TOTAL", "5"}}),
            std::pair(2, 2));
}

TEST(ChooseShard, NoEngineIsAnError) {
  EXPECT_NE(Refused("auto", 0, {}).find("CI_NODE_INDEX"), std::string::npos);
}

std::vector<RunPair> Pairs(const std::vector<std::string>& names, int repeat) {
  std::vector<RunPair> out;
  for (const auto& n : names)
    for (int a = 0; a < repeat; ++a) out.emplace_back(n, a);
  return out;
}

TEST(SharePairs, ByCountEveryPairOnceAndRepeatsSpread) {
  const auto pairs = Pairs({"a", "b", "c"}, 20);
  const auto shares = SharePairs(pairs, 4, nullptr);
  ASSERT_EQ(shares.size(), 4U);
  std::set<RunPair> seen;
  for (const auto& share : shares) {
    EXPECT_EQ(share.size(), 15U);
    int of_a = 0;
    for (const auto& p : share) {
      EXPECT_TRUE(seen.insert(p).second);
      of_a += p.first == "a";
    }
    EXPECT_EQ(of_a, 5);  // 20 repeats over 4 machines: 5 each
  }
  EXPECT_EQ(seen.size(), pairs.size());
}

TEST(SharePairs, DurationsBalanceTheLoad) {
  // One long scenario and six short ones: by count, shard 1 gets the long one
  // and as many short ones as the other; by durations, the long one alone.
  const auto pairs = Pairs({"long", "s1", "s2", "s3", "s4", "s5", "s6"}, 1);
  const Durations d = {{"long", 6}, {"s1", 1}, {"s2", 1}, {"s3", 1},
                       {"s4", 1},   {"s5", 1}, {"s6", 1}};
  auto load = [&](const std::vector<RunPair>& share) {
    double sum = 0;
    for (const auto& p : share) sum += d.at(p.first);
    return sum;
  };
  const auto by_count = SharePairs(pairs, 2, nullptr);
  const auto balanced = SharePairs(pairs, 2, &d);
  // The control: counting alone gives 6+1+1+1 = 9 against 3.
  EXPECT_EQ(load(by_count[0]), 9);
  EXPECT_EQ(load(balanced[0]), 6);
  EXPECT_EQ(load(balanced[1]), 6);
  // Each share keeps the canonical order.
  EXPECT_TRUE(std::is_sorted(balanced[1].begin(), balanced[1].end()));
}

TEST(SharePairs, UnknownScenariosCountAsTheMean) {
  const auto pairs = Pairs({"a", "new1", "new2"}, 1);
  const Durations d = {{"a", 4}};
  const auto shares = SharePairs(pairs, 2, &d);
  // Each new one costs 4, as "a": one joins "a". (Counted as free, both would
  // go to the other shard: {a} and {new1, new2}.)
  EXPECT_EQ(shares[0], (std::vector<RunPair>{{"a", 0}, {"new2", 0}}));
  EXPECT_EQ(shares[1], (std::vector<RunPair>{{"new1", 0}}));
}

TEST(SharePairs, DurationsFingerprintTellsDifferentDurationsApart) {
  EXPECT_EQ(DurationsFingerprint({{"a", 1}}), DurationsFingerprint({{"a", 1}}));
  EXPECT_NE(DurationsFingerprint({{"a", 1}}), DurationsFingerprint({{"a", 2}}));
}

}  // namespace
}  // namespace proclab
