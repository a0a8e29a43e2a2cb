// sandbox [--pid-max N] [--memory-mb M] -- CMD [ARG...]
//
// Runs CMD where a regression of proclab's containment cannot hurt the
// machine: in a PID namespace of its own whose pid_max is N (a thread or
// fork bomb that escaped proclab's caps would run out of pids there, not on
// the host), and in a memory cgroup limited to M MiB (a flood that escaped
// the output caps would be OOM-killed). Our own code is its PID 1: it
// starts CMD as PID 2, reaps everything, and exits with CMD's status. Exit
// 77 means the machine cannot make such a sandbox (the test skips).
//
// Containment oracle: when CMD has exited, every process still in the
// namespace was left behind by it. PID 1 gives them a second to go, then
// names each on stderr ("sandbox: left alive: PID COMM") before it kills
// them, so a test can tell "proclab left nothing" from "the sandbox
// cleaned up after it". Likewise for cgroups: proclab's groups nest in the
// sandbox's; any still there at the end is named ("sandbox: cgroup left
// behind: DIR") and removed with the sandbox's own.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dirent.h>
#include <time.h>

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

// Reaps what has exited; the pids of the namespace's other processes that
// are not zombies, with their comm.
std::vector<std::string> Alive() {
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  std::vector<std::string> alive;
  DIR* proc = opendir("/proc");
  if (!proc) return alive;
  while (dirent* e = readdir(proc)) {
    const long pid = std::atol(e->d_name);
    if (pid <= 1) continue;
    char path[64], stat[512] = {};
    std::snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    const ssize_t n = read(fd, stat, sizeof stat - 1);
    close(fd);
    if (n <= 0) continue;
    // "PID (COMM) STATE ...": COMM may hold spaces and parentheses.
    const char* open_paren = std::strchr(stat, '(');
    const char* close_paren = std::strrchr(stat, ')');
    if (!open_paren || !close_paren || close_paren[1] == 0 || close_paren[2] == 'Z') continue;
    alive.push_back(std::to_string(pid) + " " +
                    std::string(open_paren + 1, static_cast<size_t>(close_paren - open_paren - 1)));
  }
  closedir(proc);
  return alive;
}

// Removes the groups under `dir` (deepest first), naming each that was left.
void RemoveGroupsUnder(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> subs;
  while (dirent* e = readdir(d))
    if (e->d_type == DT_DIR && e->d_name[0] != '.') subs.push_back(dir + "/" + e->d_name);
  closedir(d);
  for (const auto& sub : subs) {
    RemoveGroupsUnder(sub);
    std::fprintf(stderr, "sandbox: cgroup left behind: %s\n", sub.c_str());
    rmdir(sub.c_str());
  }
}

void Nap(long ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1'000'000};
  nanosleep(&ts, nullptr);
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
        // Whatever is still here after a second was left behind by CMD.
        std::vector<std::string> left = Alive();
        for (int waited = 0; !left.empty() && waited < 1000; waited += 20) {
          Nap(20);
          left = Alive();
        }
        for (const auto& p : left) std::fprintf(stderr, "sandbox: left alive: %s\n", p.c_str());
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
  for (const auto& [controller, dir] : group->dirs()) RemoveGroupsUnder(dir);
  group->Remove();
  return StatusOf(status);
}
