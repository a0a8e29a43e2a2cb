#include "runner/os/process_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "runner/os/sys_error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {

Result<bool> SendSignal(pid_t pid, int sig) {
  if (::kill(pid, sig) == 0) return true;
  if (errno == ESRCH) return false;
  return SysError(fmt::format("kill({}, {})", pid, sig));
}

int OpenPidfd(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));  // pidfds are close-on-exec
}

Result<bool> SignalPidfd(int pidfd, int sig) {
  if (syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) == 0) return true;
  if (errno == ESRCH) return false;
  return SysError(fmt::format("pidfd_send_signal({}, {})", pidfd, sig));
}

bool ProcessGone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

std::optional<int> RaiseOwnPriority(int steps) {
  errno = 0;
  const int before = getpriority(PRIO_PROCESS, 0);
  if (before == -1 && errno != 0) return std::nullopt;
  const int wanted = std::max(before - steps, -20);
  if (wanted == before || setpriority(PRIO_PROCESS, 0, wanted) != 0) return std::nullopt;
  return before;
}

void ScrubOwnEnvironment() {
  UniqueFd f(open("/proc/self/stat", O_RDONLY | O_CLOEXEC));
  char buf[4096];
  const ssize_t n = f ? read(f.get(), buf, sizeof buf - 1) : -1;
  clearenv();
  if (n <= 0) return;
  buf[n] = '\0';
  // After the command name (which may hold spaces) the fields are words:
  // the state is field 3, env_start and env_end are fields 50 and 51.
  const char* p = strrchr(buf, ')');
  if (!p) return;
  unsigned long long field[52] = {};
  int i = 3;
  for (++p; *p && i < 52; ++i) {
    while (*p == ' ') ++p;
    field[i] = strtoull(p, nullptr, 10);
    while (*p && *p != ' ') ++p;
  }
  if (i < 52 || field[51] <= field[50] || field[51] - field[50] > (1u << 24)) return;
  memset(reinterpret_cast<void*>(field[50]), 0,
         field[51] - field[50]);  // NOLINT(performance-no-int-to-ptr)
}

std::string OwnExecutable() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

pid_t PidfdTarget(pid_t holder, int fd) {
  UniqueFd f(open(fmt::format("/proc/{}/fdinfo/{}", holder, fd).c_str(), O_RDONLY | O_CLOEXEC));
  if (!f) return 0;
  char buf[1024];
  ssize_t n = read(f.get(), buf, sizeof buf - 1);
  if (n <= 0) return 0;
  buf[n] = '\0';
  const char* at = strstr(buf, "\nPid:");
  if (!at) return 0;
  return static_cast<pid_t>(std::strtol(at + 5, nullptr, 10));
}

}  // namespace proclab::os
