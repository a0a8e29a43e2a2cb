#include "runner/os/proc_locks.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <sstream>

#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<ProcLock> ParseProcLocks(std::string_view text) {
  std::vector<ProcLock> out;
  std::vector<int> at_depth;  // the last lock listed at each depth
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    size_t colon = line.find(": ");
    if (colon == std::string::npos) continue;
    size_t at = colon + 2;
    int depth = 0;
    size_t arrow = line.find("->", at);
    if (arrow != std::string::npos && line.find_first_not_of(' ', at) == arrow) {
      depth = static_cast<int>(arrow - at) + 1;
      at = arrow + 2;
    }
    at = line.find_first_not_of(' ', at);
    if (at == std::string::npos) continue;
    ProcLock lock;
    lock.text = line.substr(at);
    std::istringstream in(lock.text);
    std::string kind, mandatory, mode, dev;
    long pid = 0;
    if (!(in >> kind >> mandatory >> mode >> pid >> dev)) continue;
    lock.kind = kind == "FLOCK"    ? "flock"
                : kind == "POSIX"  ? "posix"
                : kind == "OFDLCK" ? "ofd"
                                   : Lower(kind);
    lock.write = mode == "WRITE";
    lock.pid = static_cast<pid_t>(pid);
    unsigned long long ino = 0;
    if (std::sscanf(dev.c_str(), "%x:%x:%llu", &lock.major, &lock.minor, &ino) != 3) continue;
    lock.ino = ino;
    lock.waiting = depth > 0;
    if (depth > 0 && static_cast<size_t>(depth) <= at_depth.size())
      lock.blocker = at_depth[static_cast<size_t>(depth - 1)];
    if (lock.waiting && lock.blocker < 0) continue;  // a request without its lock: torn read
    at_depth.resize(static_cast<size_t>(depth));
    at_depth.push_back(static_cast<int>(out.size()));
    out.push_back(std::move(lock));
  }
  return out;
}

std::vector<ProcLock> ReadProcLocks() {
  UniqueFd fd(open("/proc/locks", O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string text;
  char buf[8192];
  for (ssize_t n; (n = read(fd.get(), buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<size_t>(n));
  return ParseProcLocks(text);
}

int RootLock(const std::vector<ProcLock>& locks, int i) {
  for (size_t hops = 0; i >= 0 && locks[static_cast<size_t>(i)].waiting && hops < locks.size();
       ++hops)
    i = locks[static_cast<size_t>(i)].blocker;
  return i;
}

}  // namespace proclab::os
