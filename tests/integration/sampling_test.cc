// CPU sampling (`sample:`, --sample): a `sample` event every period with each
// live process's CPU so far, read from its CPU clock. Negative controls: no
// samples without the flag, and a period too short to be cheap is refused.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/integration/cli_runner.h"
#include "tests/support/temp_folder.h"

namespace proclab::testing {
namespace {

using nlohmann::json;

json TraceJson(const std::vector<std::string>& flags, Ran* ran) {
  TempFolder out("sampling");
  std::vector<std::string> args = {"trace", "-q", "--json", out.At("t.json")};
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), {"--", PROCLAB_TRACEE_DIR "/cpu_phases", "200"});
  *ran = Proclab(args);
  std::ifstream f(out.At("t.json"));
  return json::parse(f, nullptr, false);
}

TEST(Sampling, EachSampleReadsEveryLiveProcessAndCpuOnlyGrows) {
  Ran ran;
  const json t = TraceJson({"--sample", "20ms"}, &ran);
  ASSERT_EQ(ran.status, 0) << ran.err;
  ASSERT_FALSE(t.is_discarded());
  std::map<int, int64_t> last;  // pid -> its last reading
  int samples = 0, readings_of_children = 0;
  int64_t previous_t = -1;
  for (const auto& e : t["events"]) {
    if (e["type"] != "sample") continue;
    ++samples;
    EXPECT_GT(e["t_us"].get<int64_t>(), previous_t);
    previous_t = e["t_us"].get<int64_t>();
    ASSERT_FALSE(e["cpu"].empty()) << e.dump();
    for (const auto& r : e["cpu"]) {
      const int pid = r["pid"];
      const int64_t cpu = r["cpu_us"];
      if (pid != 2) ++readings_of_children;
      if (last.count(pid)) {
        EXPECT_GE(cpu, last[pid]) << "pid " << pid;
      }
      last[pid] = cpu;
    }
  }
  // 200ms serial, 200ms in threads, 200ms in two children: about 0.6s, so
  // well over 10 samples at 20ms however loaded the machine is.
  EXPECT_GE(samples, 10) << t.dump(1);
  EXPECT_GE(last[2], 350'000) << "the main process burned 200ms alone and 2x200ms in threads";
  EXPECT_GT(readings_of_children, 0) << "the children were sampled while they burned";
}

TEST(Sampling, NoSamplesUnlessAskedAndNoneTooOften) {
  Ran ran;
  const json t = TraceJson({}, &ran);
  ASSERT_EQ(ran.status, 0) << ran.err;
  for (const auto& e : t["events"]) EXPECT_NE(e["type"], "sample");
  TraceJson({"--sample", "1ms"}, &ran);
  EXPECT_EQ(ran.status, 125) << "trace's own usage error";
  EXPECT_NE(ran.err.find("--sample must be at least 10ms"), std::string::npos) << ran.err;
}

TEST(Sampling, AScenarioSamplesAndItsPeriodIsChecked) {
  TempFolder dir("sampling", 0755);
  const std::string good = dir.Put("good.yaml",
                                   "scenario: sampled\n"
                                   "description: burns CPU in phases\n"
                                   "sample: 25ms\n"
                                   "program: [" PROCLAB_TRACEE_DIR
                                   "/cpu_phases, '100']\n"
                                   "roles: {main: main}\n"
                                   "expect:\n"
                                   "  - exit: {process: main, code: 0}\n");
  Ran r = Proclab({"run", good, "--report", "json:" + dir.At("r.json")});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  std::ifstream f(dir.At("r.json"));
  const json report = json::parse(f, nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  int samples = 0;
  for (const auto& e : report["runs"][0]["trace"]["events"]) samples += e["type"] == "sample";
  EXPECT_GE(samples, 5);
  const std::string bad = dir.Put("bad.yaml",
                                  "scenario: too-often\n"
                                  "description: x\n"
                                  "sample: 5ms\n"
                                  "program: [/bin/true]\n");
  r = Proclab({"check", bad});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE((r.out + r.err).find("bad.yaml:3:9: error: sample must be at least 10ms"),
            std::string::npos)
      << r.out << r.err;
}

}  // namespace
}  // namespace proclab::testing
