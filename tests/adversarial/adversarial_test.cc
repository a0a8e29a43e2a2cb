// The adversarial suite: programs and files that try to break proclab, each
// checked for containment (nothing left alive), the diagnosis a user reads,
// proclab's exit status and its peak memory. Cases that could hurt the host
// if a fix regressed run inside tests/adversarial/sandbox (a PID namespace
// with a small pid_max and a memory limit); see README.md here.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {

std::string Case(const std::string& file) {
  return std::string(PROCLAB_TEST_DATA) + "/adversarial/" + file;
}

::testing::AssertionResult Says(const Ran& r, const std::string& phrase) {
  if (r.out.find(phrase) != std::string::npos || r.err.find(phrase) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << phrase << "\" is not in:\n" << r.out << r.err;
}

class BothModes : public ::testing::TestWithParam<std::string> {};

// S3: a signal step whose target was reaped and whose pid was taken by a
// new process fails, saying so, and never reaches the new process.
TEST_P(BothModes, ASignalStepNeverReachesAProcessThatReusedThePid) {
  Ran r = Proclab({"run", "--isolation", GetParam(), Case("pid-reuse.yaml")});
  if (Says(r, "no reuse")) GTEST_SKIP() << "the pid could not be made to repeat here";
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_TRUE(Says(r, "not sent: a (pid "));
  EXPECT_TRUE(Says(r, "had already exited at"));
  // The new holder of the pid got no SIGTERM (its expectation held), and
  // the pid really was reused (the output expectation held).
  EXPECT_TRUE(Says(r, "4 other expectations held"));  // 2 written, no_leaks, no_zombies
  EXPECT_LT(r.max_rss_kb, 150 * 1024);
}

// 20c: a program cannot reach services on the host's loopback: each lab has
// a network of its own with only loopback. --network host opts out (the
// negative control: the same program reaches the same listener).
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
  Ran own = Proclab({"trace", "--isolation", GetParam(), "--", "/usr/bin/python3", "-c", probe});
  Ran host = Proclab({"trace", "--isolation", GetParam(), "--network", "host", "--",
                      "/usr/bin/python3", "-c", probe});
  close(listener);
  if (Says(own, "network: host")) GTEST_SKIP() << "no network namespace here";
  EXPECT_TRUE(Says(own, "network: loopback only"));
  EXPECT_TRUE(Says(own, "stdout: refused: [Errno 111] Connection refused"));
  EXPECT_TRUE(Says(host, "network: host"));
  EXPECT_TRUE(Says(host, "stdout: reached"));
}

INSTANTIATE_TEST_SUITE_P(Isolation, BothModes, ::testing::Values("namespace", "subreaper"));

}  // namespace
}  // namespace proclab::testing
