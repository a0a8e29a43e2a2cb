// What a process used, as the trace records it at its exit, against what
// the kernel tells a parent that reaps it with wait4; CPU readings at
// events; pinning. Negative controls: a child that reaped a grandchild
// does not agree with its parent's wait4 on its own (the kernel adds the
// grandchild in); a pinned run cannot exceed one CPU's parallelism.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "runner/os/cpu_affinity.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/lab_harness.h"

namespace proclab::testing {
namespace {

struct Wait4 {
  pid_t pid = 0;
  int64_t user_us = 0, system_us = 0, max_rss_kb = 0, nvcsw = 0, nivcsw = 0, minflt = 0, majflt = 0;
};

Wait4 Parse(const std::string& out) {
  Wait4 w;
  long pid = 0;
  long long u = 0, s = 0, rss = 0, v = 0, iv = 0, mi = 0, ma = 0;
  const size_t at = out.find("child ");
  if (at != std::string::npos &&
      sscanf(out.c_str() + at,
             "child %ld user_us=%lld system_us=%lld max_rss_kb=%lld nvcsw=%lld nivcsw=%lld "
             "minflt=%lld majflt=%lld",
             &pid, &u, &s, &rss, &v, &iv, &mi, &ma) == 8)
    w = {static_cast<pid_t>(pid), u, s, rss, v, iv, mi, ma};
  return w;
}

// The kernel's accounting tick, at its coarsest (HZ=100).
constexpr int64_t kTickUs = 10'000;

TEST(Usage, AProcessFiguresAgreeWithTheWait4OfItsParent) {
  for (auto iso : Isolations()) {
    SCOPED_TRACE(IsolationName(iso));
    Timeline t = RunTracee(iso, "reap_rusage", {"300", "24", "0"});
    const Wait4 w = Parse(OutputText(t));
    ASSERT_GT(w.pid, 0) << Dump(t);
    const ProcessRecord child = Record(t, w.pid);
    ASSERT_TRUE(child.usage) << Dump(t);
    const Usage& u = *child.usage;
    EXPECT_NEAR(u.cpu_us(), w.user_us + w.system_us, kTickUs);
    EXPECT_NEAR(u.user_us, w.user_us, kTickUs);
    EXPECT_NEAR(u.system_us, w.system_us, kTickUs);
    EXPECT_GE(u.cpu_us(), 290'000) << "it burned 300ms";
    EXPECT_EQ(u.max_rss_kb, w.max_rss_kb);
    EXPECT_GE(u.max_rss_kb, 24 * 1024) << "it touched 24MiB";
    EXPECT_FALSE(u.max_rss_with_children);
    EXPECT_EQ(u.minor_faults, w.minflt);
    EXPECT_EQ(u.major_faults, w.majflt);
    EXPECT_NEAR(u.voluntary_switches, w.nvcsw, 2);
    EXPECT_NEAR(u.involuntary_switches, w.nivcsw, 2);
    EXPECT_GE(u.last_cpu, 0);
    // Its one thread, read from /proc in nanoseconds, is the process.
    ASSERT_EQ(u.threads.size(), 1u);
    EXPECT_EQ(u.threads[0].tid, w.pid);
    EXPECT_NEAR(u.threads[0].cpu_us, u.cpu_us(), kTickUs);
    // The run's total: every process's own CPU.
    int64_t sum = 0;
    for (const auto& p : t.Processes()) sum += p.usage ? p.usage->cpu_us() : 0;
    EXPECT_EQ(t.summary.cpu_us, sum);
  }
}

TEST(Usage, AReapedGrandchildIsTakenOutOfItsReapersFigures) {
  Timeline t = RunTracee(os::Isolation::kAuto, "reap_rusage", {"200", "4", "400"});
  const Wait4 w = Parse(OutputText(t));
  ASSERT_GT(w.pid, 0) << Dump(t);
  const ProcessRecord child = Record(t, w.pid);
  const auto grandchildren = ChildrenOf(t, w.pid);
  ASSERT_EQ(grandchildren.size(), 1u) << Dump(t);
  const ProcessRecord grandchild = Record(t, grandchildren[0]);
  ASSERT_TRUE(child.usage && grandchild.usage) << Dump(t);
  const int64_t reported = w.user_us + w.system_us;
  // The parent's wait4 counts both; the trace gives each its own.
  EXPECT_NEAR(child.usage->cpu_us() + grandchild.usage->cpu_us(), reported, 2 * kTickUs);
  EXPECT_NEAR(child.usage->cpu_us(), 200'000, 60'000);
  EXPECT_GE(grandchild.usage->cpu_us(), 390'000);
  // Negative control: the child's own figure is not what its parent's
  // wait4 says, so the comparison above can fail.
  EXPECT_GT(reported - child.usage->cpu_us(), 300'000);
}

TEST(Usage, PinnedToOneCpuARunCannotExceedOneCpuOfParallelism) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("proclab-usage-{}", getpid());
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& expect) {
    std::ofstream(dir / name) << fmt::format(R"(scenario: {}
program: [{}, "300"]
cpus: 1
timeout: 30s
expect:
  - exit: {{process: main, code: 0}}
  - cpu: {{process: main, min: 0.85s, max: 1.5s}}
  - cpu: {{process: main, min: 1.45s, children: true}}
{}
)",
                                             name.substr(0, name.find('.')), Tracee("cpu_phases"),
                                             expect);
    return (dir / name).string();
  };
  // Two threads burning, pinned to one CPU: at most one CPU-second per second.
  const std::string pinned = write(
      "pinned.yaml",
      "  - parallelism: {from: 'output \"threads\"', to: 'output \"processes\"', max: 1.15 * "
      "cpus}\n  - parallelism: {from: 'output \"processes\"', to: 'output \"done\"', max: 1.15}");
  Ran ok = Proclab({"run", "--report", "json:" + (dir / "ok.json").string(), pinned});
  EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
  // Negative control: the same run cannot show more than one CPU at work.
  const std::string over =
      write("over.yaml",
            "  - parallelism: {from: 'output \"threads\"', to: 'output \"processes\"', min: 1.5}");
  Ran fail = Proclab({"run", over});
  EXPECT_EQ(fail.status, 1) << fail.out << fail.err;
  EXPECT_NE(fail.out.find("less than 1.50"), std::string::npos) << fail.out;
  EXPECT_NE(fail.out.find("on 1 CPU"), std::string::npos) << fail.out;
  fs::remove_all(dir);
}

TEST(Usage, ARunPinnedByAffinityAloneSeesAProgramWidenIt) {
  if (os::AllowedCpus().size() < 2) GTEST_SKIP() << "one CPU: nothing to widen to";
  // No cgroup here (the harness gives the lab none), so no cpuset holds it.
  Timeline t =
      RunTracee(os::Isolation::kAuto, "widen_affinity", {}, [](LabConfig& c) { c.cpus = {0}; });
  EXPECT_EQ(t.lab.cpus, std::vector<int>{0});
  EXPECT_EQ(t.lab.pinned_by, "affinity");
  const ProcessRecord main = Record(t, t.main_pid);
  ASSERT_TRUE(main.usage) << Dump(t);
  EXPECT_EQ(OutputText(t).find("cpus 1\n"), std::string::npos)
      << "it could not widen: " << OutputText(t);
  EXPECT_FALSE(main.usage->widened_to.empty()) << Dump(t);
  // Negative control: unpinned, the same program widens nothing.
  Timeline free = RunTracee(os::Isolation::kAuto, "widen_affinity");
  EXPECT_EQ(free.lab.pinned_by, "");
  EXPECT_EQ(Record(free, free.main_pid).usage->widened_to, "");
}

TEST(Usage, TraceReportsTheGrantedCpusAndCpuTimes) {
  Ran r = Proclab({"trace", "--cpus", "1", "--", Tracee("reap_rusage"), "100", "1", "0"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("cpus: 0 (1), pinned by"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cpu 0.1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("used by the run's processes"), std::string::npos) << r.out;
  Ran bad = Proclab({"trace", "--cpus", "4096", "--", "/bin/true"});
  EXPECT_EQ(bad.status, 125);
  EXPECT_NE(bad.err.find("--cpus '4096'"), std::string::npos) << bad.err;
  Ran list = Proclab({"trace", "--cpus", "0,x", "--", "/bin/true"});
  EXPECT_EQ(list.status, 125);
  Ran run = Proclab({"run", "--cpus", "nope", PROCLAB_SOURCE_DIR "/tests/scenarios/pacing.yaml"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("--cpus 'nope': expected a number of CPUs"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace proclab::testing
