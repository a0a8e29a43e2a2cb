// The 25 adversarial cases of ../shared/research/reliability-anchors.md §4
// (1-20, S1-S5), one test each (S3, PID reuse, is in adversarial_test.cc).
// "In every case the runner survives, leaves populated 0 and gives a clear
// diagnosis": each test asserts containment (by pid and by cgroup, see
// harness.h), the diagnosis text, proclab's exit status and its peak
// memory, with a negative control where one makes sense.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/adversarial/harness.h"

namespace proclab::testing::adversarial {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Anchor 1: a fork bomb, with the program running as root (exempt from
// RLIMIT_NPROC), beside another scenario in the same `run`: the bomb gets
// EAGAIN at the process cap, is named and killed as a bomb; the other run
// forks and passes as usual.
TEST(Anchor, AForkBombAsRootStopsAtTheProcessCapAndAParallelRunIsUnaffected) {
  Options o = Tagged(/*sandbox=*/true);
  o.pid_max = 1000;
  Scratch dir;
  dir.Write("bomb.yaml", R"(scenario: bomb
timeout: 10s
user: root
program: [@TRACEES@/forkbomb, @TAG@]
env: {ADV_TAG: @TAG@}
limits: {processes: 64}
roles: {main: main}
expect:
  - exit: {process: main, code: 0}
)",
            o.tag);
  dir.Write("neighbour.yaml", R"(scenario: neighbour
timeout: 10s
program: [/bin/sh, -c, 'for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; sleep 0.1; done; echo neighbour done', @TAG@]
env: {ADV_TAG: @TAG@}
roles: {main: main}
expect:
  - output: {match: "^neighbour done$"}
  - processes: {total: 21}
)",
            o.tag);
  const std::string report = dir.path() + "/report.json";
  Outcome r = RunProclab(
      {"run", "--jobs", "2", "--report", "console", "--report", "json:" + report, dir.path()}, o);
  SKIP_WITHOUT_SANDBOX(r);
  EXPECT_EQ(r.status, 1) << r.out;  // the bomb's run fails; proclab does not
  EXPECT_TRUE(Says(r, "✓ neighbour"));
  EXPECT_TRUE(Says(r, "✗ bomb"));
  EXPECT_TRUE(Says(r, "2 runs: 1 passed, 1 failed"));
  const std::string json = ReadFile(report);
  EXPECT_NE(json.find("64 processes (zombies included): fork refused with EAGAIN"),
            std::string::npos)
      << json.substr(0, 3000);
  EXPECT_NE(json.find("fork bomb: it kept forking at the process cap"), std::string::npos);
  // Its refusals are forks, none a thread creation (a thread bomb's are: Why §2).
  EXPECT_EQ(json.find("\"threads_refused\""), std::string::npos);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  EXPECT_GT(r.max_slot_tasks, 0);
}

// Anchor 2: setsid and a double fork, the parent exits 0: the exit is
// reported as 0, the daemon is listed as left over (pid, command) and
// killed after the linger. Negative control: without proclab the daemon
// does outlive its parents (and the harness finds it).
TEST(Anchor, ADaemonIsListedAsLeftOverAndKilled) {
  Options o = Tagged();
  Outcome r = TraceTagged(o, {"--linger", "300ms"}, {Tracee("daemon"), o.tag});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Says(r, "Left over, killed by the lab:"));
  EXPECT_TRUE(Says(r, " daemon (still running 0.3s after the main process exited)"));
  EXPECT_TRUE(Says(r, "stdout: daemon "));
  EXPECT_LT(r.seconds, 5);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome direct = RunCommand({Tracee("daemon"), o.tag}, o);
  EXPECT_EQ(direct.status, 0);
  EXPECT_EQ(direct.left.size(), 1u) << "the control's daemon was not found";
}

// Anchor 3: a background child keeps stdout open, blocked for ever: the run
// does not wait for EOF, it ends at the parent's exit plus the linger.
// Negative control: a longer linger makes the run last that long, and no
// longer. A child in a sleep that ends by itself is waited for (design.md
// §3.3, `linger`), but no longer than the timeout.
TEST(Anchor, ABackgroundChildHoldingStdoutDoesNotHoldTheRun) {
  Options o = Tagged();
  Outcome r = TraceTagged(o, {"--linger", "300ms"}, {Program("holds_stdout"), o.tag});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Says(r, "stdout: parent done"));
  EXPECT_TRUE(Says(r, "3 holds_stdout (still running 0.3s after the main process exited)"));
  EXPECT_LT(r.seconds, 5);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome longer = TraceTagged(o, {"--linger", "1500ms"}, {Program("holds_stdout"), o.tag});
  EXPECT_TRUE(Says(longer, "3 holds_stdout (still running 1.5s after the main process exited)"));
  EXPECT_GE(longer.seconds, 1.5);
  EXPECT_LT(longer.seconds, 6);
  EXPECT_TRUE(Contained(longer));
  Outcome sleeping = TraceTagged(o, {"--linger", "300ms", "--timeout", "2s"},
                                 {"/bin/sh", "-c", "sleep 30 & echo parent done", o.tag});
  EXPECT_EQ(sleeping.status, 0) << sleeping.out;
  EXPECT_TRUE(Says(sleeping, "3 sleep (timeout)"));
  EXPECT_LT(sleeping.seconds, 2 + 4);
  EXPECT_TRUE(Contained(sleeping));
}

// Anchor 4: a child that ignores SIGTERM, SIGHUP and SIGINT in a process
// group of its own: each delivery is shown as ignored, and SIGKILL after the
// grace period (the linger) ends it.
TEST(Anchor, AProcessIgnoringTermHupAndIntIsKilledAfterTheGrace) {
  Options o = Tagged();
  Outcome r = TraceTagged(o, {"--linger", "300ms"}, {Program("stubborn"), o.tag});
  EXPECT_EQ(r.status, 0) << r.out;
  for (const char* sig : {"SIGTERM", "SIGHUP", "SIGINT"})
    EXPECT_TRUE(Says(r, fmt::format("{} 2 → 3 ignored", sig)));
  EXPECT_TRUE(Says(r, "SIGKILL lab → 3 killed"));
  EXPECT_TRUE(Says(r, "3 stubborn (still running 0.3s after the main process exited)"));
  EXPECT_LT(r.seconds, 5);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

// Anchor 5: a program that stops itself, and one that stops its child: the
// wall limit still ends both, the tracer does not hang, and the stop is
// shown.
TEST(Anchor, StoppedProcessesStillEndAtTheTimeout) {
  Options o = Tagged();
  Outcome self = TraceTagged(o, {"--timeout", "1s"}, {Tracee("stop_self"), o.tag});
  EXPECT_EQ(self.status, 137);
  EXPECT_TRUE(Says(self, "SIGSTOP 2 → 2 stopped"));
  EXPECT_TRUE(Says(self, "stopped (SIGSTOP)"));
  EXPECT_TRUE(Says(self, "limit timeout: the run passed its 1s timeout"));
  EXPECT_LT(self.seconds, 5);
  EXPECT_TRUE(Contained(self));
  EXPECT_TRUE(Small(self));
  Outcome child = TraceTagged(o, {"--timeout", "1s"},
                              {"/bin/sh", "-c", "sleep 30 & kill -STOP $!; wait", o.tag});
  EXPECT_EQ(child.status, 137);
  EXPECT_TRUE(Says(child, "SIGSTOP 2 → 3 stopped"));
  EXPECT_TRUE(Says(child, "limit timeout: the run passed its 1s timeout"));
  EXPECT_TRUE(Says(child, "  3 ")) << "the stopped child is not among those the lab killed";
  EXPECT_LT(child.seconds, 5);
  EXPECT_TRUE(Contained(child));
}

// Anchor 6: a busy loop and a sleep under the same CPU limit and timeout:
// the first ends with the CPU verdict, the second with the wall one, never
// the other way round.
TEST(Anchor, CpuAndWallLimitsAreToldApart) {
  Options o = Tagged();
  Outcome busy = TraceTagged(o, {"--cpu", "1s", "--timeout", "8s"}, {Program("cpu_spin"), o.tag});
  EXPECT_EQ(busy.status, 128 + SIGXCPU);
  EXPECT_TRUE(Says(busy, "limit cpu: used its 1s CPU limit (SIGXCPU)"));
  EXPECT_FALSE(Says(busy, "limit timeout"));
  EXPECT_TRUE(Contained(busy));
  EXPECT_TRUE(Small(busy));
  Outcome idle = TraceTagged(o, {"--cpu", "1s", "--timeout", "1500ms"}, {"/bin/sleep", "30"});
  EXPECT_EQ(idle.status, 137);
  EXPECT_TRUE(Says(idle, "limit timeout: the run passed its 1.5s timeout"));
  EXPECT_FALSE(Says(idle, "limit cpu"));
  EXPECT_TRUE(Contained(idle));
}

// Anchor 7: two threads burning CPU: the CPU is summed over the threads, in
// the limit (2 x 0.9s passes a 1s limit; 2 x 0.15s does not: the negative
// control, with room to spare on a loaded machine), in a checkpoint
// (2 x 0.4s = 0.8s), in the process's exit figures (each thread's listed)
// and in the run's total, children included.
TEST(Anchor, CpuIsSummedOverThreads) {
  Options o = Tagged();
  Outcome over = TraceTagged(o, {"--cpu", "1s"}, {Program("cpu_threads"), "900", "0", o.tag});
  EXPECT_EQ(over.status, 128 + SIGXCPU) << over.out;
  EXPECT_TRUE(Says(over, "limit cpu: used its 1s CPU limit (SIGXCPU)"));
  EXPECT_TRUE(Contained(over));
  EXPECT_TRUE(Small(over));
  // The control burns 0.3s in all under a 1s limit (RLIMIT_CPU counts
  // whole seconds): under load it once hit SIGXCPU at 2 x 0.3s.
  Outcome under = TraceTagged(o, {"--cpu", "1s"}, {Program("cpu_threads"), "150", "0", o.tag});
  EXPECT_EQ(under.status, 0) << under.out;
  EXPECT_TRUE(Says(under, "stdout: burnt"));

  Scratch dir;
  const std::string scenario = dir.Write("cpu.yaml", R"(scenario: cpu
timeout: 10s
program: [@ADV@/cpu_threads, "400", "1500", @TAG@]
roles: {main: main}
steps:
  - wait_for: {output: "^burnt$"}
  - checkpoint: after
expect:
  - cpu: {process: main, min: 0.7s, max: 1.5s}
)",
                                         o.tag);
  const std::string report = dir.path() + "/cpu.json";
  Outcome run = RunProclab({"run", "--report", "json:" + report, scenario}, o);
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_TRUE(Contained(run));
  const nlohmann::json j = ReadJson(report);
  ASSERT_TRUE(j.is_object());
  const nlohmann::json& trace = j["runs"][0]["trace"];
  const auto checkpoints = EventsOf(trace, "checkpoint");
  ASSERT_EQ(checkpoints.size(), 1u);
  const int64_t cpu_us = checkpoints[0]["processes"][0]["cpu_us"];
  EXPECT_GE(cpu_us, 700'000) << "0.4s in each of two threads";
  EXPECT_LT(cpu_us, 1'500'000);
  // The exit's figures: the process, and each of its three threads.
  const nlohmann::json& usage = trace["processes"][0]["usage"];
  ASSERT_TRUE(usage.is_object()) << trace["processes"].dump();
  const int64_t process_us = usage["cpu_us"];
  EXPECT_GE(process_us, 800'000);
  EXPECT_LT(process_us, 1'500'000);
  ASSERT_EQ(usage["threads"].size(), 3u) << usage.dump();
  int64_t threads_us = 0;
  for (const auto& t : usage["threads"]) threads_us += t["cpu_us"].get<int64_t>();
  EXPECT_NEAR(threads_us, process_us, 20'000) << usage.dump();
  EXPECT_EQ(trace["summary"]["cpu_us"], process_us);

  // The run's total, children included: a shell that runs it as its child.
  const std::string json = dir.path() + "/sh.json";
  Outcome sh =
      TraceTagged(o, {"--json", json},
                  {"/bin/sh", "-c", Program("cpu_threads") + " 300 0 " + o.tag + "; echo end"});
  EXPECT_EQ(sh.status, 0) << sh.out;
  const nlohmann::json shj = ReadJson(json);
  ASSERT_EQ(shj["processes"].size(), 2u) << shj["processes"].dump();
  const int64_t shell_us = shj["processes"][0]["usage"]["cpu_us"];
  const int64_t child_us = shj["processes"][1]["usage"]["cpu_us"];
  EXPECT_LT(shell_us, 200'000) << "the shell's own, without the child it reaped";
  EXPECT_GE(child_us, 580'000);
  EXPECT_EQ(shj["summary"]["cpu_us"], shell_us + child_us);
  // The cgroup counts the same CPU, where there is one.
  if (shj["summary"].contains("cgroup_cpu_us")) {
    EXPECT_NEAR(shj["summary"]["cgroup_cpu_us"].get<int64_t>(), shell_us + child_us, 100'000);
  }
}

// Anchor 8: allocating past the memory limit: the verdict comes from the
// cgroup's OOM-kill count ("the OOM killer ended it"), not a bare SIGKILL.
// Negative control: a plain SIGKILL under the same limit is not called an
// OOM kill.
TEST(Anchor, AnOomKillIsNamedNotJustSigkill) {
  Options o = Tagged(/*sandbox=*/true);
  Scratch dir;
  const std::string json = dir.path() + "/oom.json";
  Outcome r =
      TraceTagged(o, {"--memory-total", "64MiB", "--json", json}, {Program("mem_bomb"), o.tag});
  SKIP_WITHOUT_SANDBOX(r);
  EXPECT_EQ(r.status, 137);
  EXPECT_TRUE(Says(r,
                   "limit memory_total: the run reached its 64MiB memory limit: the OOM killer "
                   "ended it"));
  const nlohmann::json trace = ReadJson(json);
  ASSERT_TRUE(trace.is_object());
  const auto limits = EventsOf(trace, "limit");
  ASSERT_EQ(limits.size(), 1u) << trace["events"].dump();
  EXPECT_EQ(limits[0]["kind"], "memory_total");
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome plain =
      TraceTagged(o, {"--memory-total", "64MiB"}, {Tracee("exit_with"), "signal", "9", o.tag});
  EXPECT_EQ(plain.status, 137);
  EXPECT_TRUE(Says(plain, "killed by SIGKILL"));
  EXPECT_FALSE(Says(plain, "OOM"));
  EXPECT_TRUE(Contained(plain));
}

// Anchor 9: `yes` on stdout and on stderr: exactly the cap in bytes is kept
// of each stream, the rest is counted as dropped and said so, and the
// runner's memory stays bounded. Negative control: under a larger cap,
// more is kept.
TEST(Anchor, AFloodKeepsExactlyTheCapOfEachStream) {
  Options o = Tagged(/*sandbox=*/true);
  Scratch dir;
  const std::string json = dir.path() + "/flood.json";
  const std::string bytes = "3000000";
  Outcome r = TraceTagged(o, {"--output-cap", "256KiB", "--json", json},
                          {Tracee("flood"), bytes, bytes, o.tag});
  SKIP_WITHOUT_SANDBOX(r);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(Says(r, "limit output: stdout passed 256KiB: later output is counted, not kept"));
  EXPECT_TRUE(Says(r, "limit output: stderr passed 256KiB: later output is counted, not kept"));
  EXPECT_TRUE(Says(r, "stdout: 2737856 bytes past the output cap were counted, not kept"));
  EXPECT_TRUE(Says(r, "stderr: 2737856 bytes past the output cap were counted, not kept"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  auto kept = [](const nlohmann::json& trace, const std::string& stream) {
    size_t n = 0;
    for (const auto& e : EventsOf(trace, "output"))
      if (e["stream"] == stream) n += e["text"].get<std::string>().size();
    return n;
  };
  const nlohmann::json trace = ReadJson(json);
  ASSERT_TRUE(trace.is_object());
  EXPECT_EQ(kept(trace, "stdout"), 256u * 1024);
  EXPECT_EQ(kept(trace, "stderr"), 256u * 1024);
  EXPECT_EQ(trace["summary"]["output_dropped"]["stdout"], 3000000 - 256 * 1024);
  EXPECT_EQ(trace["summary"]["output_dropped"]["stderr"], 3000000 - 256 * 1024);
  Outcome larger = TraceTagged(o, {"--output-cap", "1MiB", "--json", json},
                               {Tracee("flood"), bytes, bytes, o.tag});
  EXPECT_EQ(kept(ReadJson(json), "stdout"), 1024u * 1024);
  EXPECT_TRUE(Contained(larger));
}

// Anchor 10: 200 KiB on stderr while a step waits for a line on stdout: no
// deadlock; the line comes, the run passes at once.
TEST(Anchor, AStderrFloodDoesNotBlockAStepReadingStdout) {
  Options o = Tagged();
  Scratch dir;
  const std::string scenario = dir.Write("stderr.yaml", R"(scenario: stderr-flood
timeout: 10s
program: [/bin/sh, -c, '"$0" 0 204800; echo done', @TRACEES@/flood]
env: {ADV_TAG: @TAG@}
roles: {main: main}
steps:
  - wait_for: {output: "^done$", stream: stdout, within: 5s}
expect:
  - exit: {process: main, code: 0}
)",
                                         o.tag);
  Outcome r = RunProclab({"run", scenario}, o);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Says(r, "1 run: 1 passed, 0 failed"));
  EXPECT_LT(r.seconds, 5);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

// Anchor 11: a parent that never waits for its child: the zombie is visible
// to assertions (a checkpoint sees state Z), no_zombies names it, and the
// lab reaps it at the end. Negative control: a parent that does wait, late,
// passes no_zombies though its child was a zombie for a while.
TEST(Anchor, AZombieIsVisibleNamedAndReapedAtTheEnd) {
  Options o = Tagged();
  Scratch dir;
  const std::string checks = R"(roles:
  main: main
  child: {child_of: main}
steps:
  - wait_for: {fork: child}
  - sleep: 150ms
  - checkpoint: later
expect:
  - state: {process: child, at: later, is: zombie}
  - exit: {process: child, code: 7}
)";
  const std::string never = dir.Write("never.yaml", R"(scenario: never-waits
timeout: 10s
program: [@ADV@/never_waits, "600", @TAG@]
)" + checks + R"(  - reaped: {process: child, by: lab}
)",
                                      o.tag);
  Outcome r = RunProclab({"run", never}, o);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(Says(r, "child (pid 3) exited at"));
  EXPECT_TRUE(Says(r,
                   "but main (pid 2) never waited for it: it stayed a zombie until main (pid 2) "
                   "exited with code 0"));
  EXPECT_TRUE(Says(r, "4 other expectations held"));  // state, exit, reaped, no_leaks
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  const std::string late = dir.Write("late.yaml", R"(scenario: waits-late
timeout: 10s
program: [@TRACEES@/zombie, "600", @TAG@]
)" + checks + R"(  - reaped: {process: child, by: main}
)",
                                     o.tag);
  Outcome control = RunProclab({"run", late}, o);
  EXPECT_EQ(control.status, 0) << control.out;
  EXPECT_TRUE(Contained(control));
}

}  // namespace
}  // namespace proclab::testing::adversarial
