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
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/adversarial/harness.h"

namespace proclab::testing::adversarial {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Modes : public ::testing::TestWithParam<std::string> {};

// The HOME of a running process whose environment holds ADV_TAG=tag.
std::string HomeOf(const std::string& tag) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string env = ReadFile(entry.path().string() + "/environ");
    if (env.find("ADV_TAG=" + tag + '\0') == std::string::npos) continue;
    if (const size_t at = env.find("HOME="); at != std::string::npos)
      return env.substr(at + 5, env.find('\0', at) - at - 5);
  }
  return "";
}

// The lab of the run tagged `tag`: the parent of its programs that does not
// hold the tag (the lab scrubs its own environment); 0 if none is seen.
pid_t LabOf(const std::string& tag) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string env = ReadFile(entry.path().string() + "/environ");
    if (env.find("ADV_TAG=" + tag + '\0') == std::string::npos) continue;
    const std::string stat = ReadFile(entry.path().string() + "/stat");
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(stat.substr(paren + 1));
    char state = 0;
    pid_t ppid = 0;
    fields >> state >> ppid;
    if (ppid > 1 &&
        ReadFile(fmt::format("/proc/{}/environ", ppid)).find("ADV_TAG=" + tag) == std::string::npos)
      return ppid;
  }
  return 0;
}

// Anchor 12: a program exits leaving its child: the lab adopts the orphan
// (it is the child's parent from then on, and PPID assertions see it), and
// reaps it.
TEST_P(Modes, AnOrphanIsAdoptedAndReapedByTheLab) {
  Options o = Tagged();
  Scratch dir;
  const std::string scenario = dir.Write("orphan.yaml", R"(scenario: orphan
timeout: 10s
program: [@TRACEES@/orphan, @TAG@]
env: {ADV_TAG: @TAG@}
roles:
  main: main
  child: {child_of: main}
expect:
  - parent: {process: child, is: lab}
  - output: {match: "^ppid {pid:lab}$", by: child}
  - reaped: {process: child, by: lab}
)",
                                         o.tag);
  Outcome r = RunProclab({"run", "--isolation", GetParam(), scenario}, o);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Says(r, "1 run: 1 passed, 0 failed"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

// Anchor 13: proclab is SIGKILLed mid-run: every process of the run is gone
// within 1s (checked with a lock they all hold, and by pid), and the next
// run removes what the killed one left: its cgroups, and the run's scratch
// folder (the programs' HOME). The lab is stopped just before, so that it
// cannot remove that folder itself in the moment it has (it often did): the
// worst case, every time. It dies stopped, as proclab's death kills it.
TEST_P(Modes, KillingProclabLeavesNothingAliveAndTheNextRunIsClean) {
  Options o = Tagged();
  o.keep_groups = true;
  Scratch dir(/*writable=*/true);
  std::ofstream(dir.path() + "/lock") << "";
  chmod((dir.path() + "/lock").c_str(), 0644);
  double gone_after = -1;
  std::string home;
  pid_t lab = 0;
  int scratch = -1;
  o.during = [&](pid_t proclab) {
    // lock_tree: three processes (one a setsid'd daemon) hold the lock and
    // say so with a file each.
    for (int i = 0; i < 1000; ++i) {
      int held = 0;
      for (const auto& e : fs::directory_iterator(dir.path()))
        if (e.path().filename().string().rfind("held.", 0) == 0) ++held;
      if (held == 3) break;
      std::this_thread::sleep_for(10ms);
    }
    home = HomeOf(o.tag);
    lab = LabOf(o.tag);
    // The killed run's scratch folder, held (shared) from the moment its
    // owners are gone: another test's proclab starting meanwhile would
    // sweep it, as it should, before this test looks at it.
    if (!home.empty())
      scratch = open(fs::path(home).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lab > 0) kill(lab, SIGSTOP);
    kill(proclab, SIGKILL);
    const auto killed = std::chrono::steady_clock::now();
    while (scratch >= 0 && flock(scratch, LOCK_SH | LOCK_NB) != 0 &&
           std::chrono::steady_clock::now() - killed < 10s)
      std::this_thread::sleep_for(50us);
    const int fd = open((dir.path() + "/lock").c_str(), O_RDONLY | O_CLOEXEC);
    while (flock(fd, LOCK_EX | LOCK_NB) != 0 && std::chrono::steady_clock::now() - killed < 10s)
      std::this_thread::sleep_for(1ms);
    gone_after = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
    close(fd);
  };
  Outcome r = TraceTagged(o, {"--isolation", GetParam()}, {Tracee("lock_tree"), dir.path(), o.tag});
  EXPECT_EQ(r.status, 137);
  EXPECT_GE(gone_after, 0) << "never got the lock";
  EXPECT_LT(gone_after, 1.0) << "the run's processes outlived proclab by " << gone_after << "s";
  EXPECT_TRUE(r.left.empty()) << ::testing::PrintToString(r.left);
  EXPECT_TRUE(Small(r));
  // The groups of the killed proclab may stay, but empty...
  for (const auto& g : r.groups_left) EXPECT_NE(g.find("(0 tasks)"), std::string::npos) << g;
  // ... until the next proclab removes them, and the killed run's scratch
  // folder. Negative controls, planted as a hostile program could: a folder
  // named like one but not made by proclab, and a link named like one to a
  // folder that looks abandoned; the next run leaves both alone.
  ASSERT_EQ(home.rfind("/tmp/proclab-", 0), 0u) << "the programs' HOME was not seen: " << home;
  const std::string top = fs::path(home).parent_path().string();
  EXPECT_GT(lab, 0) << "the lab was not found";
  EXPECT_TRUE(fs::exists(top)) << "the killed lab removed " << top
                               << ": the next run is not tested";
  if (scratch >= 0) close(scratch);  // the next run may now sweep it
  char look_templ[] = "/tmp/proclab-XXXXXX";
  char link_templ[] = "/tmp/proclab-XXXXXX";
  const std::string look_alike = mkdtemp(look_templ);
  const std::string link = mkdtemp(link_templ);
  std::ofstream(look_alike + "/keep") << "mine\n";
  fs::create_directories(dir.path() + "/fake/home");
  std::ofstream(dir.path() + "/fake/made-by-proclab") << "forged\n";
  std::ofstream(dir.path() + "/fake/home/keep") << "mine\n";
  rmdir(link.c_str());
  EXPECT_EQ(symlink((dir.path() + "/fake").c_str(), link.c_str()), 0);
  Outcome next = TraceTagged(Tagged(), {"--isolation", GetParam()}, {"/bin/true"});
  EXPECT_EQ(next.status, 0);
  EXPECT_TRUE(Contained(next));
  for (const auto& g : r.groups_left) {
    const std::string path = g.substr(0, g.find(" ("));
    EXPECT_FALSE(fs::exists(path)) << path << " is still there after the next run";
    rmdir(path.c_str());
  }
  EXPECT_FALSE(fs::exists(top)) << top << " (the programs' HOME and TMPDIR) is still there "
                                << "after the next run";
  EXPECT_TRUE(fs::exists(look_alike + "/keep")) << "the next run removed a look-alike";
  EXPECT_TRUE(fs::is_symlink(link)) << "the next run removed a link named like a scratch folder";
  EXPECT_TRUE(fs::exists(dir.path() + "/fake/home/keep")) << "the next run followed a link";
  std::error_code ec;
  fs::remove_all(top, ec);  // not to leave them behind ourselves
  fs::remove_all(look_alike, ec);
  fs::remove(link, ec);
}

// Anchor 14: kill(-1, SIGKILL) and kill(getppid(), SIGKILL) by a program
// running as root: the runner, the other runs and a process outside the
// lab (the sentinel, in the sandbox) survive.
TEST_P(Modes, KillingEverythingFromInsideHitsNothingOutside) {
  Options o = Tagged(/*sandbox=*/true);
  Scratch dir;
  dir.Write("kill-all.yaml", R"(scenario: kill-all
timeout: 10s
user: root
program: [@TRACEES@/kill_all, @TAG@]
env: {ADV_TAG: @TAG@}
roles: {main: main}
expect:
  - output: {match: "^killed 3$"}
)",
            o.tag);
  dir.Write("kill-parent.yaml", R"(scenario: kill-parent
timeout: 10s
user: root
program: [/bin/sh, -c, 'kill -KILL $PPID; sleep 0.3; echo still here', @TAG@]
env: {ADV_TAG: @TAG@}
expect:
  - output: {match: "^still here$"}
)",
            o.tag);
  dir.Write("bystander.yaml", R"(scenario: bystander
timeout: 10s
program: [/bin/sh, -c, 'sleep 1.5; echo bystander done', @TAG@]
env: {ADV_TAG: @TAG@}
roles: {main: main}
expect:
  - output: {match: "^bystander done$"}
  - exit: {process: main, code: 0}
)",
            o.tag);
  const std::string script = R"sh(sleep 30 & sentinel=$!
"$0" run --jobs 3 --isolation "$1" "$2"
status=$?
kill -0 $sentinel && echo "the sentinel is alive"
kill $sentinel
exit $status)sh";
  Outcome r = RunCommand({"/bin/sh", "-c", script, PROCLAB_BINARY, GetParam(), dir.path()}, o);
  SKIP_WITHOUT_SANDBOX(r);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(Says(r, "3 runs: 3 passed, 0 failed"));
  EXPECT_TRUE(Says(r, "the sentinel is alive"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

// Anchor 15: PTRACE_TRACEME, and PTRACE_ATTACH to a sibling and to the lab,
// by a program running as root: all get EPERM, and the tracing holds (the
// next fork and exit are in the timeline).
TEST_P(Modes, PtraceEscapesAreRefusedAndTracingHolds) {
  Options o = Tagged();
  Outcome r = TraceTagged(o, {"--isolation", GetParam(), "--user", "root"},
                          {Program("ptrace_probe"), o.tag});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Says(r, "stdout: traceme: EPERM"));
  EXPECT_TRUE(Says(r, "stdout: attach sibling: EPERM"));
  EXPECT_TRUE(Says(r, "stdout: attach parent: EPERM"));
  EXPECT_TRUE(Says(r, "stdout: last child exited 7"));
  EXPECT_TRUE(Says(r, "exit 7"));  // the last child's exit, seen by the tracer
  EXPECT_EQ(r.out.find("allowed"), std::string::npos);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

INSTANTIATE_TEST_SUITE_P(Isolation, Modes, ::testing::Values("namespace", "subreaper"));

}  // namespace
}  // namespace proclab::testing::adversarial
