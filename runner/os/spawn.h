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
  // Instead of exec: run this in the child (after the filter and the uid
  // switch, with `env` as its environment) and exit with its result.
  std::function<int()> run_in_child;
};

// Why a launch failed: the step and its errno.
struct LaunchFailure {
  enum Stage : int { kNone, kDup, kChdir, kRlimit, kSeccomp, kCredentials, kExec, kTty };
  int stage = kNone;
  int err = 0;
  std::string Describe(const SpawnSpec& spec) const;
};

// A forked program child, blocked before exec until Go().
class ProgramChild {
 public:
  pid_t pid() const { return pid_; }
  // Lets the child continue to exec. Call after seizing it.
  Status Go();
  // Descriptor that reports the launch result: EOF means exec succeeded,
  // sizeof(LaunchFailure) bytes mean it failed.
  int error_fd() const { return err_read_.get(); }
  // Reads the launch result once error_fd() is readable; nullopt on success.
  std::optional<LaunchFailure> ReadFailure();

 private:
  friend Result<ProgramChild> SpawnBlocked(const SpawnSpec& spec);
  pid_t pid_ = -1;
  UniqueFd go_write_;
  UniqueFd err_read_;
};

Result<ProgramChild> SpawnBlocked(const SpawnSpec& spec);

}  // namespace proclab::os
