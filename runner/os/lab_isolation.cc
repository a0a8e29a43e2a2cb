#include "runner/os/lab_isolation.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/syscall.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "runner/os/sys_error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {

constexpr int kNoNamespace = 121;  // the namespace could not be made: the keeper falls back
constexpr char kWaitFlag[] = "--proclab-lab-waiter";

// The exit status a waiter passes on for its child's wait status.
int PassOn(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

[[noreturn]] void WaitAndExit(pid_t child) {
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  _exit(PassOn(status));
}

// A process that only waits for its child (the keeper, the namespace side)
// would otherwise keep a copy of every page the runner had when it forked,
// and the runner's later writes make those copies real: with --jobs, each
// lab cost two idle copies of the runner. It re-executes its own binary,
// which stops at WaiterEntry below, before main, and waits there.
[[noreturn]] void BecomeWaiter(pid_t child, int exe) {
  const std::string pid = std::to_string(child);
  syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  const char* argv[] = {"proclab-lab-waiter", kWaitFlag, pid.c_str(), nullptr};
  const char* envp[] = {nullptr};
  if (exe >= 0) syscall(SYS_execveat, exe, "", argv, envp, AT_EMPTY_PATH);
  WaitAndExit(child);  // no exec: wait here, in the copy
}

bool WriteFile(const char* path, const std::string& text) {
  UniqueFd fd(open(path, O_WRONLY | O_CLOEXEC));
  return fd && write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

// Dies with the parent; if the parent is already gone, dies now.
void TieToParent(pid_t expected_parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (expected_parent > 0 && getppid() != expected_parent) _exit(137);
}

// Only loopback, and up: programs reach nothing but each other.
bool BringUpLoopback() {
  UniqueFd s(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!s) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(s.get(), SIOCGIFFLAGS, &ifr) != 0) return false;
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
  return ioctl(s.get(), SIOCSIFFLAGS, &ifr) == 0;
}

[[noreturn]] void RunSubreaper(const std::function<int(const LabPlace&)>& body, LabPlace place,
                               bool host_network) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  place.pid_namespace = false;
  // Without the other namespaces a network namespace needs privilege.
  if (!host_network && unshare(CLONE_NEWNET) == 0) place.own_network = BringUpLoopback();
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

// Closes every descriptor from 3 up except those in `keep`: a lab holding
// another lab's lifeline, or the runner's end of its own, would never see
// the runner go away.
void KeepOnly(std::vector<int> keep) {
  std::sort(keep.begin(), keep.end());
  unsigned from = 3;
  for (int fd : keep) {
    if (fd < 3) continue;
    if (static_cast<unsigned>(fd) > from)
      syscall(SYS_close_range, from, static_cast<unsigned>(fd) - 1, 0);
    from = static_cast<unsigned>(fd) + 1;
  }
  syscall(SYS_close_range, from, ~0U, 0);
}

// The namespace side: unshare, map the user, fork PID 1, wait for it. Runs
// in a child of the keeper so that the keeper itself stays in the original
// namespaces and can still be the lab when namespaces turn out unusable.
[[noreturn]] void RunNamespaced(const std::function<int(const LabPlace&)>& body, LabPlace place,
                                int flags, uid_t uid, gid_t gid, int why_fd, int exe) {
  TieToParent(0);
  auto fail = [&](const std::string& why) {
    ssize_t ignored = write(why_fd, why.data(), why.size());
    (void)ignored;
    _exit(kNoNamespace);
  };
  // proclab runs non-dumpable, which makes /proc/self root-owned: an
  // unprivileged user could not write its own maps. No program exists yet,
  // and the lab turns dumpable off again before it starts one.
  prctl(PR_SET_DUMPABLE, 1);
  // A network namespace is wanted but not essential: without one the lab
  // still isolates pids, and says the network is the host's.
  if (unshare(flags) != 0 && !((flags & CLONE_NEWNET) && unshare(flags &= ~CLONE_NEWNET) == 0))
    fail(SysError(flags & CLONE_NEWUSER ? "unshare(CLONE_NEWUSER|CLONE_NEWPID)"
                                        : "unshare(CLONE_NEWPID)")
             .message);
  if (flags & CLONE_NEWUSER) {
    place.user_namespace = true;
    // Map only ourselves: root inside is this user outside, nothing more.
    if (!WriteFile("/proc/self/setgroups", "deny") ||
        !WriteFile("/proc/self/uid_map", fmt::format("0 {} 1\n", uid)) ||
        !WriteFile("/proc/self/gid_map", fmt::format("0 {} 1\n", gid)))
      fail(SysError("writing the user namespace's maps").message);
  }
  pid_t lab = fork();
  if (lab < 0) fail(SysError("fork (PID 1)").message);
  if (lab == 0) {
    TieToParent(0);  // in the new namespace getppid() is 0: the lifeline pipe covers the race
    std::string err = MountOwnProc();
    if (!err.empty()) fail(err);
    close(why_fd);
    place.pid_namespace = true;
    place.own_network = (flags & CLONE_NEWNET) && BringUpLoopback();
    _exit(body(place));
  }
  close(why_fd);
  BecomeWaiter(lab, exe);
}

}  // namespace

// Runs before main in every binary that links the os layer: the re-executed
// waiter of BecomeWaiter never reaches main (a test binary's included).
__attribute__((constructor)) static void WaiterEntry(int argc, char** argv, char**) {
  if (argc == 3 && std::strcmp(argv[1], kWaitFlag) == 0) {
    char* end = nullptr;
    const long pid = std::strtol(argv[2], &end, 10);
    if (pid > 0 && *end == '\0') WaitAndExit(static_cast<pid_t>(pid));
    _exit(125);
  }
}

Result<LabHandle> StartLab(Isolation isolation, bool host_network, const std::vector<int>& keep,
                           const std::function<int(const LabPlace&)>& body) {
  const pid_t runner = getpid();
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  pid_t keeper = fork();
  if (keeper < 0) return SysError("fork (lab)");
  if (keeper > 0) return LabHandle{keeper};

  // The keeper (or, without namespaces, the lab itself).
  TieToParent(runner);
  KeepOnly(keep);
  LabPlace place;
  if (isolation == Isolation::kSubreaper) {
    place.fallback_reason = "namespaces were not requested";
    RunSubreaper(body, place, host_network);
  }
  int flags = CLONE_NEWPID | CLONE_NEWNS;
  if (uid != 0) flags |= CLONE_NEWUSER;
  if (!host_network) flags |= CLONE_NEWNET;
  // Our own binary, for BecomeWaiter: opened before any namespace changes
  // what /proc/self means.
  const int exe = open("/proc/self/exe", O_PATH | O_CLOEXEC);
  int why[2];
  if (pipe2(why, O_CLOEXEC) != 0) _exit(3);
  pid_t ns = fork();
  if (ns < 0) _exit(3);
  if (ns == 0) {
    close(why[0]);
    RunNamespaced(body, place, flags, uid, gid, why[1], exe);
  }
  close(why[1]);
  // EOF without a word: PID 1 runs in its namespace, and the keeper has
  // nothing left to do but wait. A word: the namespace failed; fall back.
  char first = 0;
  ssize_t got;
  while ((got = read(why[0], &first, 1)) < 0 && errno == EINTR) {
  }
  if (got == 0) BecomeWaiter(ns, exe);
  int status = 0;
  while (waitpid(ns, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kNoNamespace) {
    char buf[512];
    buf[0] = first;
    ssize_t n = got > 0 ? 1 + std::max<ssize_t>(0, read(why[0], buf + 1, sizeof buf - 1)) : 0;
    place.fallback_reason = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "no PID namespace";
    if (isolation == Isolation::kPidNamespace) {
      fmt::print(stderr, "proclab: no PID namespace: {}\n", place.fallback_reason);
      _exit(3);
    }
    RunSubreaper(body, place, host_network);  // still in our own namespaces: the fallback works
  }
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  _exit(128 + WTERMSIG(status));
}

}  // namespace proclab::os
