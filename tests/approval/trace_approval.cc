// `proclab trace` as a person reads it, whole: the tree, every event line,
// and the summary, for programs whose order of events does not vary. Times
// are normalised; pids are the PID namespace's own, so they repeat.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/approval/approval.h"
#include "tests/integration/cli_runner.h"

namespace proclab::approval {
namespace {

std::string Tracees() { return PROCLAB_TRACEE_DIR; }

std::string Traced(const std::vector<std::string>& command) {
  std::vector<std::string> args = {"trace", "--isolation", "namespace", "--"};
  args.insert(args.end(), command.begin(), command.end());
  testing::Ran r = testing::Proclab(args);
  std::string text = NormaliseTimes(r.out);
  for (size_t at; (at = text.find(Tracees())) != std::string::npos;)
    text.replace(at, Tracees().size(), "<tracees>");
  // What the machine allows (cgroup layout, network namespace) varies; that
  // a line says it does not.
  for (const std::string key : {"\ncgroup: ", "\nnetwork: ", "\ncpus: "})
    if (size_t at = text.find(key); at != std::string::npos)
      text.replace(at + key.size(), text.find('\n', at + 1) - at - key.size(), "<this machine's>");
  // A process's peak memory, and the cgroup's CPU count beside the run's,
  // vary with the machine too.
  text = std::regex_replace(text, std::regex("peak [0-9.]+[KMG]?i?B"), "peak #");
  text = std::regex_replace(text, std::regex(R"( \(#\.###s by its cgroup's count\))"), "");
  return text + "--- exit status " + std::to_string(r.status) + "\n";
}

bool HaveNamespaces() {
  testing::Ran r = testing::Proclab({"trace", "--isolation", "namespace", "-q", "--", "/bin/true"});
  return r.status == 0;
}

TEST(TraceApproval, AShellThatPrintsAndExits) {
  if (!HaveNamespaces()) GTEST_SKIP() << "pids repeat only in a PID namespace";
  EXPECT_TRUE(MatchesBaseline("trace.shell",
                              Traced({"/bin/sh", "-c", "echo hello; echo oops >&2; exit 3"})));
}

TEST(TraceApproval, AZombieThenItsReap) {
  if (!HaveNamespaces()) GTEST_SKIP() << "pids repeat only in a PID namespace";
  EXPECT_TRUE(MatchesBaseline("trace.zombie", Traced({Tracees() + "/zombie", "100"})));
}

TEST(TraceApproval, AnOrphanAdoptedByTheLab) {
  if (!HaveNamespaces()) GTEST_SKIP() << "pids repeat only in a PID namespace";
  EXPECT_TRUE(MatchesBaseline("trace.orphan", Traced({Tracees() + "/orphan"})));
}

TEST(TraceApproval, AProgramThatCannotStart) {
  if (!HaveNamespaces()) GTEST_SKIP() << "pids repeat only in a PID namespace";
  EXPECT_TRUE(MatchesBaseline("trace.enoent", Traced({"/nonexistent/program", "arg"})));
}

}  // namespace
}  // namespace proclab::approval
