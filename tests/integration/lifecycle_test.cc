// Process life cycles as the timeline must show them: forks, execs, exits,
// zombies and their reapers, orphans and their adopters, threads.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "runner/os/core_files.h"
#include "tests/integration/lab_harness.h"

namespace proclab::testing {
namespace {

class Lifecycle : public ::testing::TestWithParam<os::Isolation> {
 protected:
  Timeline Run(const std::string& name, const std::vector<std::string>& args = {}) {
    return RunTracee(GetParam(), name, args);
  }
};

TEST_P(Lifecycle, ZombieWindowAndReaper) {
  Timeline t = Run("zombie", {"300"});
  auto kids = ChildrenOf(t, t.main_pid);
  ASSERT_EQ(kids.size(), 1u) << Dump(t);
  ProcessRecord child = Record(t, kids[0]);
  ASSERT_TRUE(child.exit && child.reaped_by) << Dump(t);
  EXPECT_EQ(child.exit->code, 7);
  EXPECT_EQ(*child.reaped_by, Party::Process(t.main_pid));
  // A zombie for as long as the parent slept before waiting (generous window).
  EXPECT_GE(*child.reaped_us - *child.end_us, 250'000) << Dump(t);
  EXPECT_TRUE(child.adoptions.empty());

  // Negative control: a parent that waits at once leaves (almost) no zombie.
  Timeline quick = Run("zombie", {"0"});
  ProcessRecord q = Record(quick, ChildrenOf(quick, quick.main_pid).at(0));
  ASSERT_TRUE(q.reaped_us && q.end_us);
  EXPECT_LT(*q.reaped_us - *q.end_us, 250'000) << Dump(quick);
}

TEST_P(Lifecycle, OrphanIsAdoptedAndReapedByTheLab) {
  Timeline t = Run("orphan");
  auto kids = ChildrenOf(t, t.main_pid);
  ASSERT_EQ(kids.size(), 1u) << Dump(t);
  ProcessRecord orphan = Record(t, kids[0]);
  ASSERT_EQ(orphan.adoptions.size(), 1u) << Dump(t);
  EXPECT_EQ(orphan.adoptions[0].second, t.lab.pid);
  ASSERT_TRUE(orphan.reaped_by);
  EXPECT_EQ(*orphan.reaped_by, Party::Process(t.lab.pid));
  // The orphan's own getppid() agrees with the timeline.
  EXPECT_EQ(OutputText(t), "ppid " + std::to_string(t.lab.pid) + "\n");
  auto reparents = EventsOf(t, EventType::kReparent, kids[0]);
  ASSERT_EQ(reparents.size(), 1u);
  EXPECT_EQ(reparents[0].from, Party::Process(t.main_pid));
  // The adoption happens when the parent exits, not before.
  EXPECT_GE(reparents[0].t_us, *Record(t, t.main_pid).end_us);
  if (GetParam() == os::Isolation::kPidNamespace) {
    EXPECT_EQ(t.lab.pid, 1);
  }

  // Negative control: a child reaped by its own parent is never adopted.
  Timeline z = Run("zombie", {"0"});
  EXPECT_TRUE(EventsOf(z, EventType::kReparent).empty()) << Dump(z);
}

TEST_P(Lifecycle, SigchldIgnoredMeansTheKernelReaps) {
  Timeline t = Run("ignore_sigchld");
  auto kids = ChildrenOf(t, t.main_pid);
  ASSERT_EQ(kids.size(), 1u);
  ProcessRecord child = Record(t, kids[0]);
  ASSERT_TRUE(child.reaped_by) << Dump(t);
  EXPECT_EQ(child.reaped_by->kind, Party::kKernel) << Dump(t);
  EXPECT_LT(*child.reaped_us - *child.end_us, 200'000)
      << Dump(t);  // at once, give or take a loaded machine

  // Negative control: a parent that waits is named as the reaper.
  Timeline z = Run("zombie", {"0"});
  EXPECT_EQ(*Record(z, ChildrenOf(z, z.main_pid).at(0)).reaped_by, Party::Process(z.main_pid));
}

TEST_P(Lifecycle, ExitCodeSignalAndCoreAreDistinct) {
  Timeline code = Run("exit_with", {"code", "143"});
  auto c = Record(code, code.main_pid).exit;
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->signaled);
  EXPECT_EQ(c->code, 143);
  EXPECT_EQ(c->ShellStatus(), 143);

  Timeline term = Run("exit_with", {"signal", "15"});
  auto s = Record(term, term.main_pid).exit;
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->signaled);
  EXPECT_EQ(s->sig, SIGTERM);
  EXPECT_FALSE(s->core);
  EXPECT_EQ(s->ShellStatus(), 143);  // same shell status, different truth

  // Core files only where a scenario expects one: the lab allows this one.
  Timeline abrt =
      RunTracee(GetParam(), "exit_with", {"abort"}, [](LabConfig& c) { c.core_limit = 64 << 20; });
  auto a = Record(abrt, abrt.main_pid).exit;
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->signaled);
  EXPECT_EQ(a->sig, SIGABRT);
  EXPECT_TRUE(a->core) << Dump(abrt);
}

// A dump replaces the file of its name in the program's folder, whoever's
// it is. A run that may dump, in a folder that already has a "core", dumps
// none, says why, and the file is untouched. Negative control: the same run
// in the same folder without that file dumps, and the lab removes the dump.
TEST_P(Lifecycle, ACoreDumpNeverReplacesAFileThatWasThere) {
  const os::CoreNames names = os::HostCoreNames();
  if (names.place != os::CoreNames::Place::kFolder ||
      !std::regex_match("core", std::regex(names.regex)))
    GTEST_SKIP() << "core_pattern '" << names.pattern << "' does not name dumps 'core' here";
  char templ[] = "/tmp/proclab-core-test-XXXXXX";
  const std::string dir = mkdtemp(templ);
  // Removed even when an assertion ends the test early.
  struct Gone {
    std::string dir;
    ~Gone() { std::filesystem::remove_all(dir); }
  } gone{dir};
  chmod(dir.c_str(), 0777);  // the program (nobody, under root) may write there
  const std::string mine = dir + "/core";
  std::ofstream(mine) << "precious\n";
  struct stat before {};
  ASSERT_EQ(lstat(mine.c_str(), &before), 0);
  // Dumps in its own folder (exit_with's abort dumps in TMPDIR).
  const std::vector<std::string> dumps_here = {"/bin/sh", "-c", "kill -ABRT $$"};
  auto in_dir = [&](LabConfig& c) {
    c.core_limit = 64 << 20;
    c.cwd = dir;
  };
  Timeline t = RunCommand(GetParam(), dumps_here, in_dir);
  auto a = Record(t, t.main_pid).exit;
  ASSERT_TRUE(a);
  EXPECT_EQ(a->sig, SIGABRT);
  EXPECT_FALSE(a->core) << Dump(t);
  std::string why;
  for (const auto& e : EventsOf(t, EventType::kLimit))
    if (e.kind == "no_core") why = e.detail;
  EXPECT_NE(why.find("core was already in the program's folder (" + dir + ")"), std::string::npos)
      << Dump(t);
  struct stat after {};
  ASSERT_EQ(lstat(mine.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  std::ifstream in(mine);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "precious\n");

  unlink(mine.c_str());
  Timeline control = RunCommand(GetParam(), dumps_here, in_dir);
  auto c = Record(control, control.main_pid).exit;
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->core) << Dump(control);
  bool removed = false;
  for (const auto& e : EventsOf(control, EventType::kLimit)) {
    EXPECT_NE(e.kind, "no_core") << e.detail;
    removed =
        removed || (e.kind == "core" && e.detail.find("the lab removed it") != std::string::npos);
  }
  EXPECT_TRUE(removed) << Dump(control);
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(mine)));
}

TEST_P(Lifecycle, ThreadsAreNotProcesses) {
  Timeline t = Run("threads");
  int threads = 0, processes = 0;
  for (const auto& e : EventsOf(t, EventType::kFork)) (e.thread ? threads : processes)++;
  EXPECT_EQ(threads, 2) << Dump(t);
  EXPECT_EQ(processes, 1) << Dump(t);
  EXPECT_EQ(t.Processes().size(), 2u);
  EXPECT_EQ(Record(t, t.main_pid).threads, 2);

  // Negative control: a program without threads shows none.
  Timeline v = Run("vfork_exec");
  for (const auto& e : EventsOf(v, EventType::kFork)) EXPECT_FALSE(e.thread);
}

TEST_P(Lifecycle, VforkThenExec) {
  Timeline t = Run("vfork_exec");
  auto kids = ChildrenOf(t, t.main_pid);
  ASSERT_EQ(kids.size(), 1u) << Dump(t);
  auto forks = EventsOf(t, EventType::kFork, kids[0]);
  ASSERT_EQ(forks.size(), 1u);
  EXPECT_EQ(forks[0].via, "vfork");
  auto execs = EventsOf(t, EventType::kExec, kids[0]);
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0].argv, (std::vector<std::string>{"echo", "from the vfork child"}));
  auto out = EventsOf(t, EventType::kOutput, kids[0]);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "from the vfork child\n");
  EXPECT_EQ(Record(t, kids[0]).name, "echo");
}

TEST_P(Lifecycle, ExecFromANonLeaderThreadKeepsThePid) {
  Timeline t = Run("thread_exec");
  auto execs = EventsOf(t, EventType::kExec);
  ASSERT_EQ(execs.size(), 2u) << Dump(t);
  EXPECT_EQ(execs[1].pid, t.main_pid);  // the thread took over the leader's pid
  EXPECT_EQ(execs[1].argv[0], "echo");
  EXPECT_EQ(t.Processes().size(), 1u);
  auto out = EventsOf(t, EventType::kOutput, t.main_pid);
  ASSERT_EQ(out.size(), 1u) << Dump(t);
  EXPECT_EQ(out[0].text, "exec from a thread\n");
  EXPECT_EQ(Record(t, t.main_pid).exit->code, 0);
}

TEST_P(Lifecycle, OutputIsAttributedToItsWriter) {
  Timeline t = Run("hello");
  auto out = EventsOf(t, EventType::kOutput, t.main_pid);
  ASSERT_EQ(out.size(), 2u) << Dump(t);
  EXPECT_EQ(out[0].stream, Stream::kStdout);
  EXPECT_EQ(out[0].text, "hello\n");
  EXPECT_EQ(out[1].stream, Stream::kStderr);
  EXPECT_EQ(out[1].text, "to stderr\n");

  Timeline o = Run("orphan");
  auto lines = EventsOf(o, EventType::kOutput);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].pid, o.main_pid);  // written by the child, not the parent
}

// What must hold of any timeline: each process is forked (or spawned) once,
// exits at most once and is reaped at most once. Returns what breaks that.
std::string Bookkeeping(const Timeline& t) {
  std::map<pid_t, int> born, exits, reaps;
  for (const Event& e : t.events()) {
    if ((e.type == EventType::kFork && !e.thread) || e.type == EventType::kSpawn) ++born[e.pid];
    if (e.type == EventType::kExit) ++exits[e.pid];
    if (e.type == EventType::kReap) ++reaps[e.pid];
  }
  std::string wrong;
  for (const auto& [pid, n] : born)
    if (n != 1) wrong += fmt::format("{} born {} times; ", pid, n);
  for (const auto& [pid, n] : exits)
    if (n != 1 || !born.count(pid)) wrong += fmt::format("{} exited {} times; ", pid, n);
  for (const auto& [pid, n] : reaps)
    if (n != 1 || !born.count(pid)) wrong += fmt::format("{} reaped {} times; ", pid, n);
  return wrong;
}

// Children that exit before their parent's fork returns are each announced
// once, with their own exit status, and reaped once.
TEST_P(Lifecycle, AForkBurstIsRecordedOncePerChild) {
  // Rounds of 250 stay under the default cap of 256 live processes.
  constexpr int kRound = 250, kRounds = 6, kChildren = kRound * kRounds;
  Timeline t = Run("fork_burst", {std::to_string(kRound), std::to_string(kRounds)});
  ASSERT_EQ(Record(t, t.main_pid).exit->code, 0) << Dump(t);
  EXPECT_EQ(Bookkeeping(t), "");
  auto middle = ChildrenOf(t, t.main_pid);
  ASSERT_EQ(middle.size(), 1u);
  auto spawner = ChildrenOf(t, middle[0]);
  ASSERT_EQ(spawner.size(), 1u);
  auto kids = ChildrenOf(t, spawner[0]);
  ASSERT_EQ(kids.size(), static_cast<size_t>(kChildren));
  for (int i = 0; i < kChildren; ++i) {
    ProcessRecord r = Record(t, kids[i]);
    ASSERT_TRUE(r.exit && r.reaped_by) << kids[i];
    EXPECT_EQ(r.exit->code, i % 256) << "child " << i << " (" << kids[i] << ")";
    EXPECT_EQ(*r.reaped_by, Party::Process(spawner[0]));
  }
  EXPECT_EQ(OutputText(t), fmt::format("reaped {}\n", kChildren));

  // Negative control: the bookkeeping check sees a repeated fork event.
  Timeline doubled = t;
  for (const Event& e : t.events())
    if (e.type == EventType::kFork && e.pid == kids[0]) doubled.Add(e);
  EXPECT_NE(Bookkeeping(doubled), "");
}

INSTANTIATE_TEST_SUITE_P(Both, Lifecycle, ::testing::ValuesIn(Isolations()),
                         [](const auto& info) { return IsolationName(info.param); });

}  // namespace
}  // namespace proclab::testing
