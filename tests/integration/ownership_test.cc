// Process ownership, as reproc has it: every child has one owner that stops
// and reaps it; a failed fork never reaps someone else's child; a session
// dropped mid-run lets its lab finish its teardown.
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "runner/base/clock.h"
#include "runner/lab/lab_session.h"
#include "runner/os/spawn.h"
#include "runner/run/c_programs.h"
#include "tests/integration/lab_harness.h"

namespace proclab::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> OwnEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.push_back(*e);
  return env;
}

os::SpawnSpec Helper(std::vector<std::string> argv) {
  os::SpawnSpec spec;
  spec.argv = std::move(argv);
  spec.env = OwnEnvironment();
  return spec;
}

TEST(RunToCompletion, CapturesOutputAndStatus) {
  auto done = os::RunToCompletion(Helper({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}));
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->output, "out\nerr\n");
  EXPECT_TRUE(WIFEXITED(done->status));
  EXPECT_EQ(WEXITSTATUS(done->status), 3);
  EXPECT_FALSE(done->exited_ok());
  EXPECT_EQ(done->Describe(), "exit 3");
}

TEST(RunToCompletion, AMissingProgramIsALaunchErrorNotExit127) {
  auto done = os::RunToCompletion(Helper({"/nonexistent/compiler"}));
  ASSERT_FALSE(done.ok());
  EXPECT_NE(done.error().message.find("could not start '/nonexistent/compiler'"), std::string::npos)
      << done.error().message;
  EXPECT_NE(done.error().message.find("ENOENT"), std::string::npos) << done.error().message;
}

TEST(RunToCompletion, ATimeoutKillsAndReaps) {
  const int64_t start = MonotonicUs();
  auto done = os::RunToCompletion(Helper({"/bin/sleep", "30"}), 200'000);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_TRUE(done->timed_out);
  EXPECT_LT(MonotonicUs() - start, 5'000'000);
  EXPECT_TRUE(WIFSIGNALED(done->status));
}

// A child dropped before Go() exits on its own (its go pipe closes) and is
// reaped: no zombie is left behind.
TEST(ProgramChild, DroppedBeforeGoIsReaped) {
  pid_t pid = -1;
  {
    auto child = os::SpawnBlocked(Helper({"/bin/true"}));
    ASSERT_TRUE(child.ok()) << child.error().message;
    pid = child->pid();
  }
  errno = 0;
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1) << "pid " << pid << " was left unreaped";
  EXPECT_EQ(errno, ECHILD);
}

// The child writes "0" to each join file before it waits for Go, and says
// how that went: the errno of its first failed write. Negative control: a
// descriptor it cannot write reports its errno, and nothing is written.
TEST(ProgramChild, WritesItsJoinFilesAndReportsTheFirstFailure) {
  int got[2];
  ASSERT_EQ(pipe2(got, O_CLOEXEC), 0);
  os::UniqueFd got_r(got[0]), got_w(got[1]);
  os::UniqueFd read_only(open("/dev/null", O_RDONLY | O_CLOEXEC));
  for (bool writable : {true, false}) {
    SCOPED_TRACE(writable ? "a writable file" : "a read-only descriptor");
    os::SpawnSpec spec = Helper({"/bin/true"});
    spec.join_fds = {writable ? got_w.get() : read_only.get()};
    auto child = os::SpawnBlocked(spec);
    ASSERT_TRUE(child.ok()) << child.error().message;
    auto joined = child->AwaitJoin();
    ASSERT_TRUE(joined.ok()) << joined.error().message;
    EXPECT_EQ(*joined, writable ? 0 : EBADF);
    ASSERT_TRUE(os::SetNonBlocking(got_r.get(), true).ok());
    char buf[8] = {};
    EXPECT_EQ(read(got_r.get(), buf, sizeof buf), writable ? 1 : -1);
    if (writable) {
      EXPECT_EQ(buf[0], '0');
    }
  }
}

// A pids cgroup (v1 here, v2 elsewhere) whose tasks cannot fork; empty: skip.
std::string NoForkCgroup() {
  for (const char* base : {"/sys/fs/cgroup/pids", "/sys/fs/cgroup"}) {
    const std::string dir = fmt::format("{}/proclab-test-nofork-{}", base, getpid());
    if (mkdir(dir.c_str(), 0755) != 0) continue;
    std::ofstream max(dir + "/pids.max");
    max << "1\n";
    if (max.flush()) return dir;
    rmdir(dir.c_str());
  }
  return {};
}

// The compiler's fork fails: CompileC reports it and must not reap another
// child of the runner (a lab under --jobs). A waitpid(-1) did, before.
TEST(CompileC, AFailedForkReapsNobodyElse) {
  const std::string cgroup = NoForkCgroup();
  if (cgroup.empty()) GTEST_SKIP() << "no writable pids cgroup to make fork fail";
  const fs::path source = fs::temp_directory_path() / fmt::format("proclab-nofork-{}.c", getpid());
  {
    std::ofstream src(source);
    src << "int main(void) { return 0; } /* " << std::random_device{}() << " */\n";
  }
  const pid_t harness = fork();
  ASSERT_GE(harness, 0);
  if (harness == 0) {
    const pid_t sibling = fork();
    if (sibling == 0) {
      usleep(300'000);
      _exit(7);
    }
    std::ofstream(cgroup + "/cgroup.procs") << getpid() << "\n";
    auto exe = CompileC(source.string());
    if (exe.ok()) _exit(10);  // the cgroup did not stop the fork: no proof either way
    int status = 0;
    if (waitpid(sibling, &status, 0) != sibling) _exit(11);  // someone took it
    _exit(WIFEXITED(status) && WEXITSTATUS(status) == 7 ? 0 : 12);
  }
  int status = 0;
  ASSERT_EQ(waitpid(harness, &status, 0), harness);
  fs::remove(source);
  rmdir(cgroup.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 10) GTEST_SKIP() << "the pids cgroup did not refuse the fork";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "11: the sibling was reaped by CompileC; 12: it was lost";
}

class Ownership : public ::testing::TestWithParam<os::Isolation> {};

// Dropping a session mid-run asks the lab to tear down and lets it finish:
// the program is killed and the lab's scratch folder (the program's HOME)
// is removed. An immediate SIGKILL of the lab left the folder behind.
TEST_P(Ownership, ADroppedSessionLetsTheLabCleanUp) {
  LabConfig config;
  config.argv = {"/bin/sh", "-c", "echo $HOME; exec sleep 30"};
  config.isolation = GetParam();
  config.timeout_us = 60'000'000;
  std::string home;
  {
    auto session = LabSession::Start(config);
    ASSERT_TRUE(session.ok()) << session.error().message;
    const int64_t deadline = MonotonicUs() + 10'000'000;
    while (home.empty() && MonotonicUs() < deadline) {
      std::vector<Event> fresh;
      if (!(*session)->Pump(&fresh)) break;
      for (const auto& e : fresh)
        if (e.type == EventType::kOutput) home = e.text.substr(0, e.text.find('\n'));
      if (home.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_FALSE(home.empty()) << "the program never printed its HOME";
    ASSERT_TRUE(fs::exists(home)) << home;
  }
  EXPECT_FALSE(fs::exists(home)) << "the lab was killed before it removed " << home;
}

// A lab that dies mid-run (here SIGKILLed) cannot remove the run's folder:
// the runner does, and the timeline says the lab died, not that the run
// ended at 0.000s.
TEST_P(Ownership, ALabThatDiesLeavesNoScratchFolder) {
  LabConfig config;
  config.argv = {"/bin/sh", "-c", "echo $HOME; exec sleep 30"};
  config.isolation = GetParam();
  config.timeout_us = 60'000'000;
  auto session = LabSession::Start(config);
  ASSERT_TRUE(session.ok()) << session.error().message;
  std::string home;
  const int64_t deadline = MonotonicUs() + 10'000'000;
  while (home.empty() && MonotonicUs() < deadline) {
    std::vector<Event> fresh;
    if (!(*session)->Pump(&fresh)) break;
    for (const auto& e : fresh)
      if (e.type == EventType::kOutput) home = e.text.substr(0, e.text.find('\n'));
    if (home.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_FALSE(home.empty());
  kill((*session)->pid(), SIGKILL);
  Timeline t = (*session)->Finish();
  EXPECT_FALSE(t.complete);
  EXPECT_NE(t.summary.lab_error, "");
  EXPECT_FALSE(fs::exists(home)) << home << " was left behind";
}

INSTANTIATE_TEST_SUITE_P(Both, Ownership, ::testing::ValuesIn(Isolations()),
                         [](const auto& info) { return IsolationName(info.param); });

}  // namespace
}  // namespace proclab::testing
