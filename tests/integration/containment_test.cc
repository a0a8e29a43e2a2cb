// Containment: nothing escapes, nothing outlives the lab, limits hold and are
// reported, launch failures are not exit codes.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/integration/lab_harness.h"
#include "tests/support/temp_folder.h"

namespace proclab::testing {
namespace {

using proclab::testing::TempFolder;

class Containment : public ::testing::TestWithParam<os::Isolation> {
 protected:
  Timeline Run(const std::string& name, const std::vector<std::string>& args = {},
               const std::function<void(LabConfig&)>& tweak = {}) {
    return RunTracee(GetParam(), name, args, tweak);
  }
};

// Every process that appeared has exited and been reaped by the end.
void ExpectNothingLeft(const Timeline& t) {
  for (const auto& p : t.Processes()) {
    EXPECT_TRUE(p.exit.has_value()) << "process " << p.pid << " never exited\n" << Dump(t);
    EXPECT_TRUE(p.reaped_by.has_value()) << "process " << p.pid << " never reaped\n" << Dump(t);
  }
}

// The most processes alive (not yet reaped) at any moment.
int MaxAlive(const Timeline& t) {
  int alive = 0, max = 0;
  for (const auto& e : t.events()) {
    if (e.type == EventType::kSpawn || (e.type == EventType::kFork && !e.thread)) ++alive;
    if (e.type == EventType::kReap) --alive;
    max = std::max(max, alive);
  }
  return max;
}

TEST_P(Containment, DaemonEscapeIsKilledAfterTheLinger) {
  Timeline t = Run("daemon", {}, [](LabConfig& c) { c.linger_us = 300'000; });
  EXPECT_EQ(Record(t, t.main_pid).exit->code, 0);
  std::vector<ProcessRecord> killed;
  for (const auto& p : t.Processes())
    if (p.killed_by_lab) killed.push_back(p);
  ASSERT_EQ(killed.size(), 1u) << Dump(t);
  const ProcessRecord& daemon = killed[0];
  EXPECT_EQ(OutputText(t), "daemon " + std::to_string(daemon.pid) + " up\n");
  EXPECT_EQ(daemon.exit->sig, SIGKILL);
  // Killed no sooner than the linger after the main process exited.
  EXPECT_GE(*daemon.end_us - *Record(t, t.main_pid).end_us, 300'000) << Dump(t);
  EXPECT_NE(daemon.killed_by_lab->find("after the main process exited"), std::string::npos);
  ExpectNothingLeft(t);

  // Negative control: a program that leaves nothing behind has nothing killed.
  Timeline clean = Run("zombie", {"0"});
  for (const auto& p : clean.Processes()) EXPECT_FALSE(p.killed_by_lab);
}

// Issue 9: the double fork's textbook sleep(2) equalled the default linger,
// so the grandchild died just before it printed. A process left in a sleep
// that ends by itself is waited for (up to the timeout); the daemon above,
// blocked for ever, is still killed at the linger.
TEST_P(Containment, ALingerWaitsForATimedSleepToEnd) {
  Timeline t =
      RunCommand(GetParam(), {"/bin/sh", "-c", "(sleep 1; echo late) & exit 0"}, [](LabConfig& c) {
        c.linger_us = 300'000;
        c.timeout_us = 20'000'000;
      });
  EXPECT_EQ(OutputText(t), "late\n") << Dump(t);
  for (const auto& p : t.Processes()) EXPECT_FALSE(p.killed_by_lab) << Dump(t);
  ExpectNothingLeft(t);
  // The timeout still caps it.
  Timeline capped =
      RunCommand(GetParam(), {"/bin/sh", "-c", "(sleep 30; echo late) & exit 0"}, [](LabConfig& c) {
        c.linger_us = 300'000;
        c.timeout_us = 1'500'000;
      });
  EXPECT_EQ(OutputText(capped), "");
  EXPECT_LT(capped.summary.end_us, 10'000'000);
  ExpectNothingLeft(capped);
}

TEST_P(Containment, ForkBombIsStoppedAtTheCap) {
  Timeline t = Run("forkbomb", {}, [](LabConfig& c) { c.max_processes = 20; });
  EXPECT_LE(MaxAlive(t), 20) << Dump(t);
  // It did get close: the cap, not luck, held it. Forks the lab let through
  // count against the cap before the kernel performs them, and on a loaded
  // machine many may still be in flight when the run ends: hence half.
  EXPECT_GE(MaxAlive(t), 10);
  auto limits = EventsOf(t, EventType::kLimit);
  ASSERT_FALSE(limits.empty());
  EXPECT_EQ(limits[0].kind, "processes");
  EXPECT_EQ(limits[0].detail, "20 processes (zombies included): fork refused with EAGAIN");
  EXPECT_GT(t.summary.forks_refused, 0);
  EXPECT_EQ(t.summary.threads_refused, 0) << "a fork bomb's refusals are forks";
  int killed = 0;
  for (const auto& p : t.Processes()) killed += p.killed_by_lab.has_value();
  EXPECT_GT(killed, 0);
  ExpectNothingLeft(t);

  // Negative control: a well-behaved program under the same cap hits nothing.
  Timeline ok = Run("threads", {}, [](LabConfig& c) { c.max_processes = 20; });
  EXPECT_TRUE(EventsOf(ok, EventType::kLimit).empty());
  EXPECT_EQ(ok.summary.forks_refused, 0);
}

TEST_P(Containment, TheDefaultCapHoldsAsRoot) {
  // RLIMIT_NPROC does not bind root; the lab's own count must.
  Timeline t = Run("forkbomb");
  EXPECT_LE(MaxAlive(t), 256);
  EXPECT_GE(MaxAlive(t), 128);  // half: forks in flight count (see above)
  auto limits = EventsOf(t, EventType::kLimit);
  ASSERT_FALSE(limits.empty()) << Dump(t);
  EXPECT_EQ(limits[0].detail, "256 processes (zombies included): fork refused with EAGAIN");
  EXPECT_GT(t.summary.forks_refused, 0);
  ExpectNothingLeft(t);
}

TEST_P(Containment, OutputFloodIsCappedExactlyWithoutDeadlock) {
  const int64_t cap = 64 << 10;
  Timeline t = Run("flood", {"10000000", "200000"}, [&](LabConfig& c) { c.output_cap = cap; });
  EXPECT_EQ(static_cast<int64_t>(OutputText(t, Stream::kStdout).size()), cap);
  EXPECT_EQ(static_cast<int64_t>(OutputText(t, Stream::kStderr).size()), cap);
  EXPECT_EQ(t.summary.output_dropped[0], 10000000 - cap);
  EXPECT_EQ(t.summary.output_dropped[1], 200000 - cap);
  EXPECT_EQ(t.summary.output_unattributed[0], 0);
  EXPECT_EQ(EventsOf(t, EventType::kLimit).size(), 2u);
  EXPECT_EQ(Record(t, t.main_pid).exit->code, 0);

  // Negative control: below the cap everything is kept and nothing reported.
  Timeline small = Run("flood", {"1000", "10"}, [&](LabConfig& c) { c.output_cap = cap; });
  EXPECT_EQ(OutputText(small, Stream::kStdout).size(), 1000u);
  EXPECT_EQ(small.summary.output_dropped[0], 0);
  EXPECT_TRUE(EventsOf(small, EventType::kLimit).empty());
}

// A program that makes events forever (here, signals to itself) ends at the
// event cap, with life-cycle events kept past it so the timeline still says
// how everything ended.
TEST_P(Containment, AnEventFloodEndsTheRunAtTheCap) {
  const std::vector<std::string> argv = {"/bin/sh", "-c",
                                         "trap '' USR1; while :; do kill -USR1 $$; done"};
  Timeline t = RunCommand(GetParam(), argv, [](LabConfig& c) {
    c.max_events = 2000;
    c.timeout_us = 60'000'000;
  });
  auto limits = EventsOf(t, EventType::kLimit);
  ASSERT_EQ(limits.size(), 1u) << Dump(t);
  EXPECT_EQ(limits[0].kind, "events");
  EXPECT_LE(t.events().size(), 2000u + 10u);
  // A traced process gets even ignored signals: each kill is sent and delivered.
  EXPECT_GE(
      EventsOf(t, EventType::kSignalSent).size() + EventsOf(t, EventType::kSignalDelivered).size(),
      1900u);
  EXPECT_LT(t.summary.end_us, 30'000'000) << "the cap did not end the run";
  ProcessRecord main = Record(t, t.main_pid);
  ASSERT_TRUE(main.exit && main.killed_by_lab) << Dump(t);
  EXPECT_EQ(main.exit->sig, SIGKILL);
  ExpectNothingLeft(t);

  // Negative control: under a larger cap the same program runs to its timeout.
  Timeline timed = RunCommand(GetParam(), argv, [](LabConfig& c) { c.timeout_us = 300'000; });
  auto timed_limits = EventsOf(timed, EventType::kLimit);
  ASSERT_EQ(timed_limits.size(), 1u);
  EXPECT_EQ(timed_limits[0].kind, "timeout");
  EXPECT_EQ(timed.summary.events_dropped, 0);
}

// Why §3: a flood of 2-byte lines cost ~1 KiB each in proclab, far past the
// byte cap. Events are charged what they take in memory, and the run ends at
// that budget too, whatever the count cap says.
TEST_P(Containment, TinyLinesEndTheRunAtTheEventMemoryCap) {
  const std::vector<std::string> argv = {"/bin/sh", "-c", "yes x"};
  Timeline t = RunCommand(GetParam(), argv, [](LabConfig& c) {
    c.max_event_bytes = 2 << 20;
    c.timeout_us = 60'000'000;
  });
  auto limits = EventsOf(t, EventType::kLimit);
  ASSERT_EQ(limits.size(), 1u) << Dump(t);
  EXPECT_EQ(limits[0].kind, "events");
  EXPECT_NE(limits[0].detail.find("its cap of 2MiB of events"), std::string::npos)
      << limits[0].detail;
  size_t bytes = 0;
  for (const Event& e : t.events()) bytes += Footprint(e);
  EXPECT_LE(bytes, size_t{(2 << 20) + 64 * 1024});
  EXPECT_GT(bytes, size_t{1 << 20});
  EXPECT_LT(t.summary.end_us, 30'000'000) << "the cap did not end the run";
  ExpectNothingLeft(t);

  // Negative control: the same budget holds a bounded program's lines.
  Timeline fine = RunCommand(GetParam(), {"/bin/sh", "-c", "yes x | head -n 2000"},
                             [](LabConfig& c) { c.max_event_bytes = 2 << 20; });
  EXPECT_TRUE(EventsOf(fine, EventType::kLimit).empty()) << Dump(fine);
}

// A program whose non-blocking stdout is full retries the same bytes after
// EAGAIN or a partial write: the timeline keeps what was written, once.
void ExpectNonBlockingWritesCountOnce(os::Isolation isolation, const std::string& how) {
  // 540 KB, in 60 KiB writes into a 4 KiB pipe: hundreds of partial writes.
  // Every retry is traced, so under a sanitizer on a loaded machine this
  // takes seconds: the backstop is generous.
  constexpr long kLines = 60'000;
  Timeline t =
      RunTracee(isolation, "nonblock_writer", {std::to_string(kLines), how}, [&](LabConfig& c) {
        c.output_cap = 4 << 20;
        c.max_event_bytes = 256 << 20;  // short lines cost far more as events than as bytes
        c.timeout_us = 180'000'000;
        // The pipe is the lab's: only its owner may open it anew.
        if (how == "reopen") c.user = "root";
      });
  const auto& exit = Record(t, t.main_pid).exit;
  ASSERT_TRUE(exit && !exit->signaled && exit->code == 0)
      << (exit ? exit->Describe() : "no exit") << "\n"
      << OutputText(t, Stream::kStderr);
  const std::string report = OutputText(t, Stream::kStderr);
  long eagain = -1, partial = -1;
  ASSERT_EQ(sscanf(report.c_str(), "eagain %ld partial %ld", &eagain, &partial), 2) << report;
  // The retries did happen (otherwise this test proves nothing).
  EXPECT_GT(eagain + partial, 0) << report;
  const std::string out = OutputText(t);
  ASSERT_EQ(out.size(), static_cast<size_t>(kLines) * 9) << report;
  std::string expected;
  expected.reserve(out.size());
  for (long i = 0; i < kLines; ++i) expected += fmt::format("{:08}\n", i);
  EXPECT_TRUE(out == expected) << "the output differs from what was written";
  EXPECT_EQ(t.summary.output_unattributed[0], 0);
}

TEST_P(Containment, RetriedNonBlockingWritesCountOnce) {
  for (const char* how : {"shared", "reopen"}) {
    SCOPED_TRACE(how);
    ExpectNonBlockingWritesCountOnce(GetParam(), how);
  }
}

TEST_P(Containment, LaunchFailuresAreNotExitCodes) {
  TempFolder dir("containment", 0777);
  struct Case {
    std::string path;
    std::string errno_name;
  };
  const Case cases[] = {
      {dir.path() + "/missing", "ENOENT"},
      {dir.Put("not_executable", "#!/bin/sh\nexit 0\n", 0644), "EACCES"},
      {dir.Put("no_shebang", "echo hi\n", 0755), "ENOEXEC"},
  };
  for (const Case& c : cases) {
    Timeline t = RunCommand(GetParam(), {c.path});
    EXPECT_NE(t.launch_error.find(c.errno_name), std::string::npos)
        << c.path << ": " << t.launch_error;
    EXPECT_NE(t.launch_error.find("could not start"), std::string::npos);
    EXPECT_TRUE(EventsOf(t, EventType::kExec).empty());
  }
  // Negative control: a program that really exits 127 started fine.
  Timeline t = RunCommand(GetParam(), {"/bin/sh", "-c", "exit 127"});
  EXPECT_EQ(t.launch_error, "");
  EXPECT_EQ(Record(t, t.main_pid).exit->code, 127);
}

TEST_P(Containment, ProgramsGetAnExplicitEnvironment) {
  setenv("PROCLAB_TEST_LEAK", "from the caller", 1);
  setenv("PYTHONUNBUFFERED", "", 1);
  Timeline t = RunCommand(GetParam(), {"/usr/bin/env"}, [](LabConfig& c) {
    c.env = {"EXTRA=1", "TERM"};
  });
  std::string env = OutputText(t);
  EXPECT_EQ(env.find("PROCLAB_TEST_LEAK"), std::string::npos) << env;
  EXPECT_NE(env.find("PATH=/usr/local/bin:/usr/bin:/bin\n"), std::string::npos) << env;
  EXPECT_NE(env.find("PYTHONUNBUFFERED=1\n"), std::string::npos) << env;
  EXPECT_NE(env.find("LC_ALL=C.UTF-8\n"), std::string::npos) << env;
  EXPECT_NE(env.find("EXTRA=1\n"), std::string::npos) << env;
  EXPECT_EQ(env.find("TERM="), std::string::npos) << env;  // removed on request
  unsetenv("PROCLAB_TEST_LEAK");
  unsetenv("PYTHONUNBUFFERED");
}

TEST_P(Containment, RootRunsProgramsAsNobody) {
  if (geteuid() != 0) GTEST_SKIP() << "only root drops privileges";
  Timeline t = RunCommand(GetParam(), {"/usr/bin/id", "-u"});
  EXPECT_EQ(OutputText(t), "65534\n");
  EXPECT_EQ(t.lab.uid, 65534);
  // Negative control: asked to, it keeps root.
  Timeline root =
      RunCommand(GetParam(), {"/usr/bin/id", "-u"}, [](LabConfig& c) { c.user = "root"; });
  EXPECT_EQ(OutputText(root), "0\n");
}

TEST_P(Containment, StdinIsDevNullUnlessGiven) {
  Timeline t = RunCommand(GetParam(), {"/bin/cat"});
  EXPECT_EQ(OutputText(t), "");
  EXPECT_EQ(Record(t, t.main_pid).exit->code, 0);
  TempFolder dir("containment", 0777);
  std::string input = dir.Put("input", "some input\n", 0644);
  Timeline given =
      RunCommand(GetParam(), {"/bin/cat"}, [&](LabConfig& c) { c.stdin_path = input; });
  EXPECT_EQ(OutputText(given), "some input\n");
}

// A lab waiting for an idle program must sleep, not spin: two labs spinning
// on two CPUs starved the programs they traced. Generous bound: a spinning
// lab burns the whole 600ms.
// CPU time (user + system, µs) that children of this test used while `run` ran.
template <typename F>
long ChildCpuUs(F run) {
  rusage before{}, after{};
  getrusage(RUSAGE_CHILDREN, &before);
  run();
  getrusage(RUSAGE_CHILDREN, &after);
  auto us = [](const timeval& tv) { return tv.tv_sec * 1000000L + tv.tv_usec; };
  return us(after.ru_utime) - us(before.ru_utime) + us(after.ru_stime) - us(before.ru_stime);
}

// Measured against a lab whose program exits at once, so the lab's own start
// and teardown (several times dearer under ASan) cancel out.
TEST_P(Containment, AnIdleProgramCostsTheLabAlmostNothing) {
  Timeline quick, idle;
  long start = ChildCpuUs([&] { quick = RunCommand(GetParam(), {"/bin/sleep", "0"}); });
  long cpu = ChildCpuUs([&] { idle = RunCommand(GetParam(), {"/bin/sleep", "0.6"}); });
  EXPECT_EQ(Record(quick, quick.main_pid).exit->code, 0);
  EXPECT_EQ(Record(idle, idle.main_pid).exit->code, 0);
  EXPECT_LT(cpu - start, 200'000) << "the lab used " << cpu << "us of CPU while its program slept "
                                  << "600ms, against " << start << "us for a program that exits";
}

INSTANTIATE_TEST_SUITE_P(Both, Containment, ::testing::ValuesIn(Isolations()),
                         [](const auto& info) { return IsolationName(info.param); });

}  // namespace
}  // namespace proclab::testing
