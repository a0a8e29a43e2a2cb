// sandbox [--pid-max N] [--memory-mb M] -- CMD [ARG...]
//
// Runs CMD where a regression of proclab's containment cannot hurt the
// machine: in a PID namespace of its own whose pid_max is N (a thread or
// fork bomb that escaped proclab's caps would run out of pids there, not on
// the host), and in a memory cgroup limited to M MiB (a flood that escaped
// the output caps would be OOM-killed). Our own code is its PID 1: it
// starts CMD as PID 2, reaps everything, and exits with CMD's status. Exit
// 77 means the machine cannot make such a sandbox (the test skips).
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "runner/os/cgroup.h"

namespace {

constexpr int kCannot = 77;

bool Write(const char* path, const std::string& text) {
  const int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  return ok;
}

int StatusOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
  long pid_max = 4000, memory_mb = 2048;  // pid_max: at least 301, as the kernel wants
  int i = 1;
  for (; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
    if (!std::strcmp(argv[i], "--pid-max") && i + 1 < argc)
      pid_max = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--memory-mb") && i + 1 < argc)
      memory_mb = std::atol(argv[++i]);
  }
  if (i + 1 >= argc) {
    std::fprintf(stderr, "usage: sandbox [--pid-max N] [--memory-mb M] -- CMD [ARG...]\n");
    return 2;
  }
  char** command = argv + i + 1;

  const auto layout = proclab::os::CgroupLayout::Read();
  auto group = proclab::os::Cgroup::Create(layout, "proclab-sandbox-" + std::to_string(getpid()));
  if (!group || !group->Has("memory") ||
      !group->SetMemoryMax(static_cast<int64_t>(memory_mb) << 20).ok() ||
      !group->Join(getpid()).ok()) {
    std::fprintf(stderr, "sandbox: no memory cgroup to limit the test with\n");
    if (group) group->Remove();
    return kCannot;
  }
  if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) {
    std::fprintf(stderr, "sandbox: unshare: %s\n", std::strerror(errno));
    return kCannot;
  }
  const pid_t init = fork();
  if (init < 0) return kCannot;
  if (init == 0) {
    // PID 1 of the new namespace: ours, never the command.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0 ||
        !Write("/proc/sys/kernel/pid_max", std::to_string(pid_max))) {
      std::fprintf(stderr, "sandbox: cannot set up the namespace: %s\n", std::strerror(errno));
      _exit(kCannot);
    }
    const pid_t child = fork();
    if (child == 0) {
      execv(command[0], command);
      std::fprintf(stderr, "sandbox: exec %s: %s\n", command[0], std::strerror(errno));
      _exit(127);
    }
    int result = 127;
    for (;;) {
      int status = 0;
      const pid_t got = wait(&status);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) break;  // ECHILD: everything is reaped
      if (got == child) {
        result = StatusOf(status);
        kill(-1, SIGKILL);  // anything left over goes with the command
      }
    }
    _exit(result);
  }
  int status = 0;
  while (waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  // PID 1's death took the namespace with it; leave the group, then remove it.
  (void)proclab::os::Cgroup::Open(layout.v2, layout.dirs).Join(getpid());
  group->Remove();
  return StatusOf(status);
}
