// The adversarial suite: programs and files that try to break proclab, each
// checked for containment (nothing left alive, by pid and by cgroup), the
// diagnosis a user reads, proclab's exit status and its peak memory. Cases
// that could hurt the host if a fix regressed run inside
// tests/adversarial/sandbox (a PID namespace with a small pid_max and a
// memory limit). README.md here maps every case to its test; harness.h says
// how containment is checked.
//
// This file: the cases run in both isolation modes (issue 8 Why §1 and §9,
// anchor S3), and the negative controls of the harness's own oracles.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/adversarial/harness.h"

namespace proclab::testing::adversarial {
namespace {

std::string Case(const std::string& file) {
  return std::string(PROCLAB_TEST_DATA) + "/adversarial/" + file;
}

class BothModes : public ::testing::TestWithParam<std::string> {};

// Why §1, anchor S3: a signal step whose target was reaped and whose pid was
// taken by a new process fails, saying so, and never reaches the new process.
TEST_P(BothModes, ASignalStepNeverReachesAProcessThatReusedThePid) {
  Options o;
  o.tag = NewTag();
  Outcome r = RunProclab({"run", "--isolation", GetParam(), Case("pid-reuse.yaml")}, o);
  if (Says(r, "no reuse")) GTEST_SKIP() << "the pid could not be made to repeat here";
  EXPECT_TRUE(Contained(r));
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_TRUE(Says(r, "not sent: a (pid "));
  EXPECT_TRUE(Says(r, "had already exited at"));
  // The new holder of the pid got no SIGTERM (its expectation held), and
  // the pid really was reused (the output expectation held).
  EXPECT_TRUE(Says(r, "4 other expectations held"));  // 2 written, no_leaks, no_zombies
  EXPECT_TRUE(Small(r));
}

// Why §9, anchor 20 (connects out): a program cannot reach services on the
// host's loopback: each lab has a network of its own with only loopback.
// --network host opts out (the negative control: the same program reaches
// the same listener).
TEST_P(BothModes, ProgramsCannotReachTheHostsLoopback) {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 8), 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string probe = fmt::format(
      "import socket\ntry:\n socket.create_connection(('127.0.0.1', {}), timeout=2); "
      "print('reached')\nexcept OSError as e:\n print('refused:', e)\n",
      ntohs(addr.sin_port));
  Options o;
  o.tag = NewTag();
  Outcome own = RunProclab({"trace", "--isolation", GetParam(), "-e", "ADV_TAG=" + o.tag, "--",
                            "/usr/bin/python3", "-c", probe},
                           o);
  Outcome host = RunProclab({"trace", "--isolation", GetParam(), "--network", "host", "-e",
                             "ADV_TAG=" + o.tag, "--", "/usr/bin/python3", "-c", probe},
                            o);
  close(listener);
  if (Says(own, "network: host")) GTEST_SKIP() << "no network namespace here";
  EXPECT_TRUE(Says(own, "network: loopback only"));
  EXPECT_TRUE(Says(own, "stdout: refused: [Errno 111] Connection refused"));
  EXPECT_TRUE(Says(host, "network: host"));
  EXPECT_TRUE(Says(host, "stdout: reached"));
  for (const Outcome* r : {&own, &host}) {
    EXPECT_EQ(r->status, 0) << r->out << r->err;  // trace passes the program's own status
    EXPECT_TRUE(Contained(*r));
    EXPECT_TRUE(Small(*r));
  }
}

INSTANTIATE_TEST_SUITE_P(Isolation, BothModes, ::testing::Values("namespace", "subreaper"));

// The harness's oracles can fail: a process left behind by a command is
// found, by pid (it is reparented to the test) and by its tag, and killed.
TEST(Harness, FindsAProcessACommandLeftBehind) {
  Options o;
  o.tag = NewTag();
  o.env = {"ADV_TAG=" + o.tag};
  Outcome r = RunCommand({"/bin/sh", "-c", "sleep 30 & echo started"}, o);
  EXPECT_EQ(r.status, 0);
  ASSERT_EQ(r.left.size(), 1u) << ::testing::PrintToString(r.left);
  EXPECT_NE(r.left[0].find("sleep 30"), std::string::npos) << r.left[0];
  EXPECT_FALSE(Contained(r));
  // ... and it was killed: a second look finds nothing.
  EXPECT_TRUE(RunCommand({"/bin/true"}, o).left.empty());
}

// The sandbox names what its command left in the namespace, and the
// harness counts it as left alive.
TEST(Harness, TheSandboxNamesWhatItsCommandLeftBehind) {
  Options o;
  o.sandbox = true;
  Outcome r = RunCommand({"/bin/sh", "-c", "sleep 30 & echo started"}, o);
  SKIP_WITHOUT_SANDBOX(r);
  EXPECT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(r.left.size(), 1u) << r.err;
  EXPECT_NE(r.left[0].find("sleep"), std::string::npos) << r.left[0];
  EXPECT_FALSE(Contained(r));
  // Without a leftover, the sandbox is quiet.
  Outcome quiet = RunCommand({"/bin/sh", "-c", "sleep 0.1 & wait"}, o);
  EXPECT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_TRUE(Contained(quiet));
}

// The cgroup oracle looks where proclab puts its runs: while a program
// runs, its job-slot group holds it.
TEST(Harness, SeesARunInItsJobSlotCgroup) {
  Options o;
  o.tag = NewTag();
  Outcome r = RunProclab({"trace", "--", "/bin/sleep", "0.5"}, o);
  if (Says(r, "cgroup: none")) GTEST_SKIP() << "no cgroups here";
  EXPECT_EQ(r.status, 0);
  EXPECT_GE(r.max_slot_tasks, 1);
  EXPECT_TRUE(Contained(r));
}

}  // namespace
}  // namespace proclab::testing::adversarial
