// Where the lab process lives. With a PID namespace (root, or an unprivileged
// user namespace) the lab is its PID 1: orphans are adopted by the lab, pids
// are small and repeatable, and the kernel kills every process of the
// namespace when the lab dies. Without one the lab is a child subreaper and
// relies on PTRACE_O_EXITKILL and its own teardown.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab::os {

enum class Isolation { kAuto, kPidNamespace, kSubreaper };

struct LabHandle {
  // The process the runner waits for. With a namespace it is a small keeper
  // that waits for the lab (PID 1 must be forked after unshare) and exits with
  // the lab's status; otherwise it is the lab itself.
  pid_t pid = -1;
};

// What the lab body learns about its own situation.
struct LabPlace {
  bool pid_namespace = false;
  bool user_namespace = false;
  bool own_network = false;     // a network namespace with only loopback, up
  std::string fallback_reason;  // why there is no namespace, when kAuto fell back
};

// Forks the lab and runs `body` in it; `body`'s return value is the lab's exit
// status. Every process in between dies with its parent (PR_SET_PDEATHSIG).
// Only the descriptors in `keep` (and 0-2) reach the lab. Call from a
// single-threaded runner only.
// `host_network`: the lab shares the caller's network; otherwise it gets a
// network namespace of its own where it can (only loopback, brought up).
Result<LabHandle> StartLab(Isolation isolation, bool host_network, const std::vector<int>& keep,
                           const std::function<int(const LabPlace&)>& body);

}  // namespace proclab::os
