// Statistics across --repeat end to end (design.md §3.10.4): `run` judges
// them once a scenario's runs are all in and shows the distribution; a
// shard leaves them to `merge`, which judges them over the merged runs with
// the same model, so two shards judge as one unsharded run.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {

std::string RepeatScn(const std::string& name) {
  return std::string(PROCLAB_TEST_DATA) + "/scenarios/repeats/" + name;
}

nlohmann::json RepeatJson(const std::string& path) {
  std::ifstream f(path);
  std::stringstream text;
  text << f.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

class RepeatStatsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/proclab-repeat-stats-XXXXXX";
    dir_ = mkdtemp(templ);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  [[nodiscard]] std::string At(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
};

TEST_F(RepeatStatsCli, AMedianHoldsAndItsControlFailsWithTheDistribution) {
  Ran ok = Proclab({"run", "--repeat", "5", "-j", "2", RepeatScn("sleeper.yaml")});
  EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("✓ repeat-sleeper: duration: {process: worker, median: {max: 3s}, p90: "
                        "{min: 50ms, max: 5s}} across 5 runs"),
            std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find("Across repeats"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("over 5 runs: min 0.1"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("within median: {max: 3s}"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("0 of 1 statistic across repeats failed"), std::string::npos) << ok.out;

  // Negative control: every run passes (no per-run bound), the median does not.
  Ran bad =
      Proclab({"run", "--repeat", "5", "-j", "2", RepeatScn("sleeper-control.yaml"), "--report",
               "console", "--report", "junit:" + At("j.xml"), "--report", "json:" + At("c.json")});
  EXPECT_EQ(bad.status, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("5 runs: 5 passed, 0 failed; 1 of 1 statistic across repeats failed"),
            std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("less than 2.000s"), std::string::npos) << bad.out;
  // Each run's verdict reports its figure and defers to the statistic.
  nlohmann::json runs = RepeatJson(At("c.json"))["runs"];
  ASSERT_EQ(runs.size(), 5u);
  const std::string said = runs[0]["verdicts"][0]["explanation"].get<std::string>();
  EXPECT_NE(said.find("worker (pid"), std::string::npos) << said;
  EXPECT_NE(said.find("; across the repeats it is judged by median: {min: 2s}"), std::string::npos)
      << said;
  EXPECT_TRUE(runs[0]["verdicts"][0]["passed"].get<bool>());
  std::ifstream junit(At("j.xml"));
  std::stringstream xml;
  xml << junit.rdbuf();
  EXPECT_NE(xml.str().find("tests=\"6\" failures=\"1\""), std::string::npos) << xml.str();
  EXPECT_NE(xml.str().find("type=\"across-repeats\""), std::string::npos) << xml.str();
}

// The html report's index lists each statistic across repeats after the
// runs, with every run's figure; `report html` of the json report judges
// them again from the figures and lists the same. Negative control: the
// control's statistic is listed as not held.
TEST_F(RepeatStatsCli, TheHtmlIndexListsTheStatisticsAcrossRepeats) {
  auto index = [](const std::string& dir) {
    std::ifstream f(dir + "/index.html");
    std::stringstream text;
    text << f.rdbuf();
    return text.str();
  };
  Ran ok = Proclab({"run", "--repeat", "3", "-j", "2", RepeatScn("sleeper.yaml"), "--report",
                    "html:" + At("ok-html"), "--report", "json:" + At("ok.json")});
  EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
  Ran bad = Proclab({"run", "--repeat", "3", "-j", "2", RepeatScn("sleeper-control.yaml"),
                     "--report", "html:" + At("bad-html"), "--report", "json:" + At("bad.json")});
  EXPECT_EQ(bad.status, 1) << bad.out << bad.err;
  Ran again = Proclab({"report", "html", At("ok.json"), "-o", At("again-html")});
  EXPECT_EQ(again.status, 0) << again.out << again.err;

  for (const std::string& dir : {At("ok-html"), At("again-html")}) {
    const std::string page = index(dir);
    EXPECT_NE(page.find("1 of 1 statistic across repeats held"), std::string::npos) << dir;
    EXPECT_NE(page.find("across 3 runs"), std::string::npos) << dir;
    EXPECT_NE(page.find("over 3 runs: min 0.1"), std::string::npos) << dir;
    EXPECT_NE(page.find("#1 0.1"), std::string::npos) << dir << ": each run's figure";
  }
  const std::string control = index(At("bad-html"));
  EXPECT_NE(control.find("0 of 1 statistic across repeats held"), std::string::npos) << control;
  EXPECT_NE(control.find("3 runs passed; 1 of 1 statistic across repeats failed"),
            std::string::npos)
      << "the heading says it too: " << control;
  EXPECT_NE(control.find("less than 2.000s"), std::string::npos) << control;
  // A run with no repeats has no such section.
  Ran one = Proclab({"run", RepeatScn("../pacing.yaml"), "--report", "html:" + At("one-html")});
  EXPECT_EQ(index(At("one-html")).find("across repeats"), std::string::npos);
}

// The median of every run's figure in the shards' reports.
double MedianOfShards(const std::vector<nlohmann::json>& shards, const std::string& scenario) {
  std::vector<double> v;
  for (const auto& s : shards)
    for (const auto& run : s["runs"])
      if (run["scenario"] == scenario)
        for (const auto& verdict : run["verdicts"])
          if (verdict.contains("measured")) v.push_back(verdict["measured"]["value"].get<double>());
  std::sort(v.begin(), v.end());
  if (v.empty()) return -1;
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

TEST_F(RepeatStatsCli, MergedShardsJudgeAsOneRun) {
  for (const char* shard : {"1/2", "2/2"}) {
    Ran s = Proclab({"run", "--repeat", "3", "-j", "2", "--shard", shard, "--report", "console",
                     "--report", "json:" + At(std::string("shard") + shard[0] + ".json"),
                     RepeatScn("sleeper.yaml"), RepeatScn("sleeper-control.yaml")});
    // A shard holds only some runs of each scenario: it judges no statistic.
    EXPECT_EQ(s.status, 0) << s.out << s.err;
    EXPECT_EQ(s.out.find("Across repeats"), std::string::npos) << s.out;
    EXPECT_NE(s.err.find("judged when the shards are merged"), std::string::npos) << s.err;
  }
  std::vector<nlohmann::json> shards = {RepeatJson(At("shard1.json")),
                                        RepeatJson(At("shard2.json"))};
  EXPECT_FALSE(shards[0].contains("across_runs"));
  Ran m = Proclab({"merge", At("shard1.json"), At("shard2.json"), "--report", "console", "--report",
                   "json:" + At("merged.json")});
  EXPECT_EQ(m.status, 1) << m.out << m.err;  // the control's median fails
  EXPECT_NE(m.out.find("✓ repeat-sleeper: duration"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("✗ repeat-sleeper-control: duration"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("across 3 runs"), std::string::npos) << m.out;
  nlohmann::json merged = RepeatJson(At("merged.json"));
  ASSERT_TRUE(merged.contains("across_runs")) << merged.dump();
  ASSERT_EQ(merged["across_runs"].size(), 2u);
  EXPECT_EQ(merged["summary"]["across_failed"], 1);
  for (const auto& a : merged["across_runs"]) {
    EXPECT_EQ(a["runs"], 3);
    EXPECT_EQ(a["distribution"]["n"], 3);
    // Judged over the union of the shards' figures, as one run judges them.
    EXPECT_DOUBLE_EQ(a["distribution"]["median"].get<double>(),
                     MedianOfShards(shards, a["scenario"].get<std::string>()))
        << a.dump();
  }
  // Merging the merged report again judges the same: the figures travel in the JSON.
  Ran again = Proclab({"merge", At("merged.json"), "--report", "json:" + At("again.json")});
  EXPECT_EQ(again.status, 1) << again.err;
  EXPECT_EQ(RepeatJson(At("again.json"))["across_runs"], merged["across_runs"]);
  // Whole runs merged: their attempts are numbered on, one statistic over all.
  Ran w = Proclab({"merge", At("merged.json"), At("merged.json"), "--report", "console"});
  EXPECT_NE(w.out.find("across 6 runs"), std::string::npos) << w.out;
}

void RepeatWrite(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

std::string RepeatSlurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream text;
  text << f.rdbuf();
  return text.str();
}

TEST_F(RepeatStatsCli, GradingFoldsAStatisticOverEveryRun) {
  RepeatWrite(At("suite/grade.yaml"), "entry: [\"*.sh\"]\nrun:\n  sh: \"/bin/sh {entry}\"\n");
  RepeatWrite(At("suite/sleepy.yaml"),
              "scenario: sleepy\npoints: 10\nprogram: [/bin/sh, main.sh]\nexpect:\n"
              "  - exit: {process: main, code: 0}\n"
              "  - duration: {process: main, median: {max: 1s}}\n");
  RepeatWrite(At("class/fast.sh"), "sleep 0.1\n");
  RepeatWrite(At("class/slow.sh"), "sleep 1.3\n");  // the negative control
  const std::vector<std::string> grade = {"grade",    At("suite"), At("class"), "--out", At("out"),
                                          "--repeat", "3",         "-j",        "2"};
  Ran g = Proclab(grade);
  ASSERT_EQ(g.status, 0) << g.out << g.err;
  const std::string csv = RepeatSlurp(At("out/grades.csv"));
  EXPECT_NE(csv.find("fast,10,10,10,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("slow,5,10,5,"), std::string::npos) << csv;
  const std::string feedback = RepeatSlurp(At("out/slow/feedback.md"));
  EXPECT_NE(feedback.find("over 3 runs: min 1.3"), std::string::npos) << feedback;
  EXPECT_NE(feedback.find("more than 1.000s"), std::string::npos) << feedback;
  // Graded again from the cache, which keeps each run's figure: the same grades.
  Ran again = Proclab(grade);
  ASSERT_EQ(again.status, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("reused"), std::string::npos) << again.out;
  EXPECT_EQ(RepeatSlurp(At("out/grades.csv")), csv);
  EXPECT_EQ(RepeatSlurp(At("out/slow/feedback.md")), feedback);
}

}  // namespace
}  // namespace proclab::testing
