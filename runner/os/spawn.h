// Starting the program under test. The child is forked with every signal
// blocked and waits on a "go" pipe so the lab can PTRACE_SEIZE it before it
// runs anything of the program's; a close-on-exec error pipe then tells
// "could not start: ENOENT" apart from a program that ran and exited 127.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/os/child.h"
#include "runner/os/seccomp_filter.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {

struct Rlimit {
  int resource;
  rlim_t soft;
  rlim_t hard;
};

struct SpawnSpec {
  std::vector<std::string> argv;  // argv[0] without '/' is looked up in PATH from `env`
  std::vector<std::string> env;   // the complete environment, "KEY=VALUE"
  std::string cwd;                // empty: the lab's working directory
  int stdin_fd = -1;              // descriptors of the lab that become 0, 1, 2
  int stdout_fd = -1;
  int stderr_fd = -1;
  bool foreground_tty = false;         // stdin is a terminal of the lab's session: take it
  uid_t uid = static_cast<uid_t>(-1);  // drop to this uid/gid before exec (-1: keep)
  gid_t gid = static_cast<gid_t>(-1);
  std::vector<Rlimit> rlimits;
  const SeccompFilter* filter = nullptr;
  // The nice value the child takes first: the caller's, when the lab runs
  // above it (Lab::Setup). Raising a nice value needs no privilege.
  std::optional<int> nice;
  // Instead of exec: run this in the child (after the filter and the uid
  // switch, with `env` as its environment) and exit with its result.
  std::function<int()> run_in_child;
  // Cgroup files (Cgroup::OpenJoinFiles) the child writes "0" to first, to
  // move itself into the run's group before anything else: on cgroup v1 a
  // task moving itself through `tasks` skips the global lock a move of
  // another process takes, which waits for an RCU grace period (15 ms here,
  // most of a lab's start). ProgramChild::AwaitJoin says how it went.
  std::vector<int> join_fds;
};

// Why a launch failed: the step and its errno.
struct LaunchFailure {
  enum Stage : int { kNone, kDup, kChdir, kRlimit, kSeccomp, kCredentials, kExec, kTty };
  int stage = kNone;
  int err = 0;
  [[nodiscard]] std::string Describe(const SpawnSpec& spec) const;
};

// A forked program child, blocked before exec until Go(). Dropped before
// Go(), it closes the go pipe (the child exits 127 on its own) and reaps it.
class ProgramChild {
 public:
  [[nodiscard]] pid_t pid() const { return pid_; }
  // Lets the child continue to exec. Call after seizing it.
  Status Go();
  // The tracer reaps it from now on (its exit is a trace event).
  void TracerReaps() { child_.Release(); }
  // For helpers that are not traced: wait for it, or kill and reap it.
  Result<int> Wait() { return child_.Wait(); }
  Result<int> Kill();
  // Descriptor that reports the launch result: EOF means exec succeeded,
  // sizeof(LaunchFailure) bytes mean it failed.
  [[nodiscard]] int error_fd() const { return err_read_.get(); }
  // Reads the launch result once error_fd() is readable; nullopt on success.
  std::optional<LaunchFailure> ReadFailure();
  // With join_fds: waits until the child has written to them, and returns
  // the errno of its first failed write (0: it is in the group).
  Result<int> AwaitJoin();

 private:
  friend Result<ProgramChild> SpawnBlocked(const SpawnSpec& spec);
  pid_t pid_ = -1;
  // Declared first, destroyed last: the go pipe closes before it is stopped.
  Child child_;
  UniqueFd go_write_;
  UniqueFd err_read_;
  UniqueFd join_read_;
};

Result<ProgramChild> SpawnBlocked(const SpawnSpec& spec);

// A helper program (the C compiler, say) run to its end: its status and
// everything it wrote on stdout and stderr together.
struct Completion {
  int status = 0;      // the wait status
  std::string output;  // stdout and stderr, interleaved as written
  [[nodiscard]] bool exited_ok() const;
  // "exit 1", "killed by SIGSEGV", "timed out after 60s"
  [[nodiscard]] std::string Describe() const;
  bool timed_out = false;
};

// Runs `spec` (its stdout_fd/stderr_fd are replaced by a capture pipe; stdin
// is /dev/null unless given) and waits for it, at most `timeout_us` (0: no
// limit; past it the process is killed). An error when it could not start:
// "could not start 'cc': execve(cc): No such file or directory (ENOENT)".
Result<Completion> RunToCompletion(SpawnSpec spec, int64_t timeout_us = 0);

}  // namespace proclab::os
