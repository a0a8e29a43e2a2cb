#include "runner/timeline/stuck.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

namespace proclab {
namespace {

bool In(const std::string& s, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return s == n; });
}

// "A", "A and B", "A, B and C".
std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

std::string FileText(const std::string& target) {
  if (target.starts_with("pipe:")) return "a pipe";
  if (target.starts_with("socket:")) return "a socket";
  if (target.starts_with("/dev/pts/") || target.starts_with("/dev/tty") ||
      target == "/dev/console" || target == "/dev/ptmx")
    return "the terminal";
  if (target.starts_with("anon_inode:")) {  // "anon_inode:[eventfd]", "anon_inode:inotify"
    std::string kind = target.substr(11);
    if (kind.size() > 2 && kind.front() == '[') kind = kind.substr(1, kind.size() - 2);
    return "an " + kind;
  }
  return target;
}

std::string LockText(const FileLock& lock) {
  return fmt::format("a {} lock ({}) on {}", lock.write ? "write" : "read", lock.kind,
                     FileText(lock.file));
}

bool Blocked(const ProcessSnapshot& s) {
  return (s.state == 'S' || s.state == 'D' || s.state == 'I') || !s.syscall.empty();
}

std::string DescribeStuck(const ProcessSnapshot& s,
                          const std::function<std::string(pid_t)>& label) {
  if (s.state == 'T' || s.state == 't') return "stopped";
  if (s.state == 'Z' || s.state == 'X') return "a zombie";
  if (s.syscall.empty()) {
    if (s.state == 'R') return "running";
    std::string where = s.wchan.empty() ? "" : fmt::format(" (in the kernel's {})", s.wchan);
    return (s.state == 'D' ? "in an uninterruptible sleep" : "asleep") + where;
  }
  const std::string& call = s.syscall;
  std::string out = fmt::format("in {}()", call);
  const std::string file = s.file.empty() ? "" : FileText(s.file);
  const std::string fd = s.fd >= 0 ? fmt::format(" (fd {})", s.fd) : "";
  if (In(call, {"pause", "rt_sigsuspend", "rt_sigtimedwait", "sigsuspend"})) {
    out += ", waiting for a signal";
  } else if (In(call, {"wait4", "waitid", "waitpid"})) {
    out += ", waiting for a child";
  } else if (call == "futex") {
    out += ", waiting on a futex (a mutex, semaphore or condition variable)";
  } else if (In(call, {"nanosleep", "clock_nanosleep"})) {
    out += ", sleeping";
  } else if (In(call, {"poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait"})) {
    out += ", waiting on descriptors";
  } else if (s.lock_wait) {
    out += " for " + LockText(*s.lock_wait);
    std::vector<std::string> holders;
    for (pid_t p : s.lock_wait->held_by) holders.push_back(p == s.pid ? "itself" : label(p));
    if (!holders.empty()) out += ", held by " + Join(holders);
  } else if (In(call, {"write", "writev", "pwrite64", "sendto", "sendmsg"}) && !file.empty()) {
    out += fmt::format(" to {}{}", file, fd);  // a full pipe, a terminal that is stopped
  } else if (!file.empty()) {
    out += fmt::format(" on {}{}", file, fd);  // a read, a recv, an accept, an ioctl
  }
  if (!s.pipe_writers.empty()) {
    // The classic: a reader that kept its own copy of the write end never
    // sees end-of-file.
    std::vector<std::string> writers;
    for (pid_t p : s.pipe_writers) writers.push_back(p == s.pid ? "itself" : label(p));
    out += fmt::format(", whose write end was still open in {}", Join(writers));
  }
  return out;
}

}  // namespace proclab
