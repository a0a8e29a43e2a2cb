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
  // The trace's last words name what was refused, and at which cap: thread
  // creations at the task cap, no fork at the process cap (it said "N forks
  // refused at the process cap" before). Real forks keep the fork wording:
  // TraceText.RefusalsSayWhatWasRefusedAndAtWhichCap is the control.
  const std::regex threads_refused(R"(\n[0-9]+ thread creations? refused at the task cap\n)");
  EXPECT_TRUE(std::regex_search(bomb, threads_refused)) << tail;
  EXPECT_EQ(bomb.find("refused at the process cap"), std::string::npos) << tail;
  EXPECT_EQ(bomb.find("fork bomb"), std::string::npos) << tail;
  EXPECT_TRUE(std::regex_search(small.out + small.err, threads_refused)) << small.out;
  EXPECT_FALSE(Says(small, "refused at the process cap"));
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
  // ...so the run failed, and the console and the report say it was the cap.
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(Says(r, "0 passed, 1 failed"));
  EXPECT_TRUE(Says(r, "limits.events: the timeline reached its cap of 48MiB of events"));
  EXPECT_FALSE(run.value("passed", true));
  const std::string reason = run.value("reason", "");
  EXPECT_EQ(reason.rfind("limits.events: the timeline reached its cap of 48MiB of events", 0), 0u)
      << reason;
  EXPECT_NE(reason.find("the lab killed what was left"), std::string::npos) << reason;
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
  // A bound against the quadratic loader (a 10 MB file took over 60s), not
  // a speed target: on a loaded 2-core host the linear one took 6s, so the
  // figures that matter are bench/run's (`bench/run reliability --only loader`).
  constexpr double kLoaderBound = 20;
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
  EXPECT_LT(many.seconds, kLoaderBound * Slack());
  EXPECT_TRUE(Contained(many));
  EXPECT_TRUE(Small(many));

  const std::string big = TenMegabytes(dir);
  const int64_t size = static_cast<int64_t>(fs::file_size(big));
  Outcome r = RunProclab({"check", big}, o);
  EXPECT_EQ(r.status, 0) << r.err.substr(0, 2000);
  EXPECT_TRUE(Says(r, "1 scenario OK"));
  EXPECT_LT(r.seconds, kLoaderBound * Slack());
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
  EXPECT_LT(bad.seconds, kLoaderBound * Slack());
}

// Why §6 (found here): a file made only of `output` expectations (each a
// regex, some 11 document nodes and one Expectation per line) is the
// loader's most expensive kind of byte. It used to take 26x its size
// (265 MiB for 10 MB); Build §3 asks for under 20x. The file is the full
// 10 MB, since proclab's own fixed footprint would weigh more in a smaller
// one. The 2 s target is timed in bench/ (reliability.py loader); here the
// bound only refuses quadratic time on a loaded machine.
TEST(Loader, ATenMegabyteFileOfExpectationsStaysUnderTwentyTimesItsSize) {
  Options o = Tagged();
  Scratch dir;
  const std::string path = dir.path() + "/expectations.yaml";
  {
    std::ofstream f(path);
    f << "scenario: many-expectations\nprogram: [/bin/true]\nroles:\n  main: main\nexpect:\n";
    for (int n = 0; f.tellp() < 10'000'000; ++n)
      f << "  - output: {match: \"^line " << n << " of something$\", by: main, count: {max: 3}}\n";
  }
  const int64_t size = static_cast<int64_t>(fs::file_size(path));
  Outcome r = RunProclab({"check", path}, o);
  EXPECT_EQ(r.status, 0) << r.err.substr(0, 2000);
  EXPECT_TRUE(Contained(r));
  EXPECT_LT(r.seconds, 20 * Slack());
  if (Sanitized()) GTEST_SKIP() << "memory is measured on the release build";
  EXPECT_LT(r.max_rss_kb * 1024, 20 * size)
      << "peak " << r.max_rss_kb / 1024 << " MiB for " << size / 1000000 << " MB ("
      << static_cast<double>(r.max_rss_kb) * 1024 / static_cast<double>(size) << "x)";
}

}  // namespace
}  // namespace proclab::testing::adversarial
