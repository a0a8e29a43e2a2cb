#include "runner/os/lab_isolation.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "runner/os/sys_error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {

constexpr int kMountFailed = 121;  // the lab could not mount /proc: keeper falls back

bool WriteFile(const char* path, const std::string& text) {
  UniqueFd fd(open(path, O_WRONLY | O_CLOEXEC));
  return fd && write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

// Dies with the parent; if the parent is already gone, dies now.
void TieToParent(pid_t expected_parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (expected_parent > 0 && getppid() != expected_parent) _exit(137);
}

[[noreturn]] void RunSubreaper(const std::function<int(const LabPlace&)>& body, LabPlace place) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  place.pid_namespace = false;
  _exit(body(place));
}

// Inside the new namespaces: a private mount tree with a /proc of our own PID
// namespace, so /proc/N means the lab's pid N for the lab and its programs.
std::string MountOwnProc() {
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return SysError("mount(/, MS_REC|MS_PRIVATE)").message;
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    return SysError("mount(proc, /proc)").message;
  return {};
}

}  // namespace

Result<LabHandle> StartLab(Isolation isolation, const std::function<int(const LabPlace&)>& body) {
  const pid_t runner = getpid();
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  pid_t keeper = fork();
  if (keeper < 0) return SysError("fork (lab)");
  if (keeper > 0) return LabHandle{keeper};

  // The keeper (or, without namespaces, the lab itself).
  TieToParent(runner);
  LabPlace place;
  if (isolation == Isolation::kSubreaper) {
    place.fallback_reason = "namespaces were not requested";
    RunSubreaper(body, place);
  }
  int flags = CLONE_NEWPID | CLONE_NEWNS;
  if (uid != 0) flags |= CLONE_NEWUSER;
  if (unshare(flags) != 0) {
    place.fallback_reason = SysError(flags & CLONE_NEWUSER ? "unshare(CLONE_NEWUSER|CLONE_NEWPID)"
                                                           : "unshare(CLONE_NEWPID)")
                                .message;
    if (isolation == Isolation::kPidNamespace) {
      fmt::print(stderr, "proclab: no PID namespace: {}\n", place.fallback_reason);
      _exit(3);
    }
    RunSubreaper(body, place);
  }
  if (flags & CLONE_NEWUSER) {
    place.user_namespace = true;
    // Map only ourselves: root inside is this user outside, nothing more.
    if (!WriteFile("/proc/self/setgroups", "deny") ||
        !WriteFile("/proc/self/uid_map", fmt::format("0 {} 1\n", uid)) ||
        !WriteFile("/proc/self/gid_map", fmt::format("0 {} 1\n", gid))) {
      fmt::print(stderr, "proclab: cannot map the user namespace: {}\n", strerror(errno));
      _exit(3);
    }
  }

  const pid_t keeper_pid = getpid();
  pid_t lab = fork();
  if (lab < 0) _exit(3);
  if (lab == 0) {
    TieToParent(0);  // in the new namespace getppid() is 0: the lifeline pipe covers the race
    (void)keeper_pid;
    std::string err = MountOwnProc();
    if (!err.empty()) {
      if (isolation == Isolation::kPidNamespace) {
        fmt::print(stderr, "proclab: {}\n", err);
        _exit(3);
      }
      // Tell the keeper, which is still in the parent PID namespace, to be the lab.
      _exit(kMountFailed);
    }
    place.pid_namespace = true;
    _exit(body(place));
  }
  int status = 0;
  while (waitpid(lab, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kMountFailed) {
    place.fallback_reason = "could not mount /proc for the new PID namespace";
    RunSubreaper(body, place);
  }
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  _exit(128 + WTERMSIG(status));
}

}  // namespace proclab::os
