// proclab trace as a user runs it: exit statuses, the JSON, and what happens
// when proclab itself is killed.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "runner/base/clock.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/lab_harness.h"

namespace proclab::testing {
namespace {

std::string CliSlurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

Ran Trace(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {PROCLAB_BINARY, "trace"};
  argv.insert(argv.end(), args.begin(), args.end());
  return Execute(argv);
}

TEST(TraceCli, ExitStatusIsTheProgramsOwn) {
  EXPECT_EQ(Trace({"-q", "--", Tracee("exit_with"), "code", "7"}).status, 7);
  EXPECT_EQ(Trace({"-q", "--", Tracee("exit_with"), "code", "0"}).status, 0);
  EXPECT_EQ(Trace({"-q", "--", Tracee("exit_with"), "signal", "15"}).status, 128 + 15);
  EXPECT_EQ(Trace({"-q", "--", Tracee("exit_with"), "abort"}).status, 128 + SIGABRT);
}

TEST(TraceCli, ItsOwnFailuresUseTheWrappersStatuses) {
  Ran missing = Trace({"--", "/nonexistent/program"});
  EXPECT_EQ(missing.status, 127);  // as a shell says "not found"
  EXPECT_NE(missing.err.find("could not start '/nonexistent/program'"), std::string::npos)
      << missing.err;
  EXPECT_NE(missing.err.find("ENOENT"), std::string::npos) << missing.err;

  Ran bad_duration = Trace({"--timeout", "5", "--", "/bin/true"});
  EXPECT_EQ(bad_duration.status, 125);
  EXPECT_NE(bad_duration.err.find("--timeout '5'"), std::string::npos) << bad_duration.err;

  Ran bad_flag = Trace({"--no-such-flag", "--", "/bin/true"});
  EXPECT_EQ(bad_flag.status, 125);
  Ran no_command = Trace({});
  EXPECT_EQ(no_command.status, 125);
  EXPECT_NE(no_command.err.find("no command"), std::string::npos) << no_command.err;
}

TEST(TraceCli, JsonFollowsTheDesign) {
  char path[] = "/tmp/proclab-json-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  Ran r = Trace({"--json", path, "--", Tracee("orphan")});
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(CliSlurp(path));
  unlink(path);
  EXPECT_EQ(j["proclab_trace"], 1);
  EXPECT_EQ(j["command"][0], Tracee("orphan"));
  EXPECT_TRUE(j["lab"].contains("pid"));
  EXPECT_TRUE(j["lab"].contains("pid_namespace"));
  ASSERT_EQ(j["processes"].size(), 2u);
  const auto& events = j["events"];
  std::vector<std::string> types;
  for (const auto& e : events) {
    types.push_back(e["type"]);
    EXPECT_TRUE(e.contains("t_us"));
  }
  for (const char* t : {"spawn", "exec", "fork", "exit", "reparent", "reap", "output"})
    EXPECT_NE(std::find(types.begin(), types.end(), t), types.end()) << t;
  // Times never go backwards.
  for (size_t i = 1; i < events.size(); ++i)
    EXPECT_LE(events[i - 1]["t_us"].get<int64_t>(), events[i]["t_us"].get<int64_t>());
  // The text form names the adoption too.
  EXPECT_NE(r.out.find("adopted by lab"), std::string::npos) << r.out;
}

// A namespace lab for an unprivileged user: user + PID namespaces.
TEST(TraceCli, UnprivilegedUsersGetANamespaceToo) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to become nobody";
  char path[] = "/tmp/proclab-json-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  chmod(path, 0666);
  Ran r = Execute({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                   PROCLAB_BINARY, "trace", "--json", path, "--", Tracee("orphan")});
  auto j = nlohmann::json::parse(CliSlurp(path), nullptr, false);
  unlink(path);
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["lab"]["pid_namespace"], true) << j["lab"];
  EXPECT_EQ(j["lab"]["pid"], 1);
  EXPECT_EQ(j["lab"].value("user_namespace", false), true);
  EXPECT_NE(r.out.find("ppid 1"), std::string::npos) << r.out;
}

bool LockFree(const std::string& lock) {
  int fd = open(lock.c_str(), O_RDONLY);
  bool free = flock(fd, LOCK_EX | LOCK_NB) == 0;
  close(fd);
  return free;
}

int CountHeld(const std::string& dir) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    n += e.path().filename().string().rfind("held.", 0) == 0;
  return n;
}

class ProclabEnds : public ::testing::TestWithParam<std::string> {};

// A lock_tree run under proclab (its own process group, as a shell makes a
// foreground job): returns its pid once all three holders hold the lock.
pid_t StartLockTree(const std::string& isolation, const std::string& dir) {
  chmod(dir.c_str(), 0777);
  close(open((dir + "/lock").c_str(), O_CREAT | O_WRONLY, 0644));
  pid_t proclab = fork();
  if (proclab == 0) {
    setpgid(0, 0);
    int null = open("/dev/null", O_RDWR);
    dup2(null, 1);
    dup2(null, 2);
    execl(PROCLAB_BINARY, "proclab", "trace", "--isolation", isolation.c_str(), "--",
          Tracee("lock_tree").c_str(), dir.c_str(), (char*)nullptr);
    _exit(126);
  }
  setpgid(proclab, proclab);
  const int64_t start = MonotonicUs();
  while (CountHeld(dir) < 3 && MonotonicUs() - start < 10'000'000)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return proclab;
}

// proclab is SIGKILLed mid-run: every process of the program goes with it,
// the setsid'd double-forked daemon included.
TEST_P(ProclabEnds, SigkillLeavesNothingBehind) {
  char templ[] = "/tmp/proclab-kill-XXXXXX";
  std::string dir = mkdtemp(templ);
  std::string lock = dir + "/lock";
  pid_t proclab = StartLockTree(GetParam(), dir);
  ASSERT_EQ(CountHeld(dir), 3) << "the tree never came up";
  // The oracle works: while they live, the lock is taken.
  EXPECT_FALSE(LockFree(lock));

  kill(proclab, SIGKILL);
  waitpid(proclab, nullptr, 0);
  const int64_t killed = MonotonicUs();
  while (!LockFree(lock) && MonotonicUs() - killed < 5'000'000)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(LockFree(lock)) << "a process of the program outlived proclab";
  EXPECT_LT(MonotonicUs() - killed, 1'000'000) << "they took more than 1s to die";
  std::filesystem::remove_all(dir);
}

// Ctrl-C at the terminal (SIGINT to the foreground job's group) cancels the
// run: proclab says so with status 130, and the program's processes,
// which the lab keeps off that terminal group, are gone with it.
TEST_P(ProclabEnds, CtrlCCancelsTheRun) {
  char templ[] = "/tmp/proclab-int-XXXXXX";
  std::string dir = mkdtemp(templ);
  std::string lock = dir + "/lock";
  pid_t proclab = StartLockTree(GetParam(), dir);
  ASSERT_EQ(CountHeld(dir), 3) << "the tree never came up";
  EXPECT_FALSE(LockFree(lock));

  const int64_t sent = MonotonicUs();
  kill(-proclab, SIGINT);
  int status = 0;
  while (waitpid(proclab, &status, WNOHANG) == 0 && MonotonicUs() - sent < 10'000'000)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const int64_t took = MonotonicUs() - sent;
  if (took >= 10'000'000) {
    kill(proclab, SIGKILL);
    waitpid(proclab, &status, 0);
  }
  EXPECT_LT(took, 3'000'000) << "Ctrl-C did not end the run promptly";
  ASSERT_TRUE(WIFEXITED(status)) << "proclab died of signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_TRUE(LockFree(lock)) << "a process of the program outlived the cancelled run";
  std::filesystem::remove_all(dir);
}

// Why §5: reports are written after Ctrl-C too, and say they are partial:
// the cut run is marked cancelled, and the runs never made are counted.
TEST(ProclabRun, CtrlCStillWritesEveryReportMarkedPartial) {
  char templ[] = "/tmp/proclab-int-XXXXXX";
  const std::string dir = mkdtemp(templ);
  chmod(dir.c_str(), 0777);  // programs run as nobody
  for (int i = 1; i <= 3; ++i)
    std::ofstream(fmt::format("{}/s{}.yaml", dir, i)) << fmt::format(
        "scenario: sleeper-{}\nprogram: [/bin/sh, -c, 'touch {}/started; exec sleep 30']\n"
        "roles:\n  main: main\nexpect:\n  - exit: {{process: main, code: 0}}\n",
        i, dir);
  pid_t proclab = fork();
  if (proclab == 0) {
    setpgid(0, 0);
    int null = open("/dev/null", O_RDWR);
    dup2(null, 1);
    dup2(null, 2);
    execl(PROCLAB_BINARY, "proclab", "run", "--jobs", "1", dir.c_str(), "--report",
          ("json:" + dir + "/r.json").c_str(), "--report", ("junit:" + dir + "/r.xml").c_str(),
          "--report", ("tap:" + dir + "/r.tap").c_str(), (char*)nullptr);
    _exit(126);
  }
  setpgid(proclab, proclab);
  const int64_t start = MonotonicUs();
  while (!std::filesystem::exists(dir + "/started") && MonotonicUs() - start < 10'000'000)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  kill(-proclab, SIGINT);
  int status = 0;
  waitpid(proclab, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  auto slurp = [&](const std::string& name) {
    std::ifstream f(dir + "/" + name);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  const auto j = nlohmann::json::parse(slurp("r.json"), nullptr, false);
  ASSERT_TRUE(j.is_object()) << slurp("r.json");
  EXPECT_EQ(j["summary"]["interrupted"], true);
  EXPECT_EQ(j["summary"]["not_run"], 2);
  ASSERT_EQ(j["runs"].size(), 1u);
  EXPECT_EQ(j["runs"][0]["cancelled"], true);
  EXPECT_NE(slurp("r.xml").find(
                "<property name=\"proclab.interrupted\" value=\"2 of 3 runs not made\"/>"),
            std::string::npos)
      << slurp("r.xml");
  EXPECT_NE(slurp("r.xml").find("type=\"cancelled\""), std::string::npos) << slurp("r.xml");
  EXPECT_NE(slurp("r.tap").find("# interrupted: 2 not run"), std::string::npos) << slurp("r.tap");
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Both, ProclabEnds, ::testing::Values("namespace", "subreaper"));

}  // namespace
}  // namespace proclab::testing
