#include "runner/os/procfs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {

// Reads a whole small /proc file; nullopt when it cannot be opened.
std::optional<std::string> Slurp(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

uint64_t HexField(const std::string& text, const char* key) {
  size_t at = text.find(key);
  if (at == std::string::npos) return 0;
  return std::strtoull(text.c_str() + at + std::strlen(key), nullptr, 16);
}

long DecField(const std::string& text, const char* key) {
  size_t at = text.find(key);
  if (at == std::string::npos) return 0;
  return std::strtol(text.c_str() + at + std::strlen(key), nullptr, 10);
}

}  // namespace

namespace {

std::optional<ProcStat> ParseStat(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  // comm is in parentheses and may itself contain ") ": parse after the last ')'.
  size_t close = text->rfind(')');
  if (close == std::string::npos || close + 2 >= text->size()) return std::nullopt;
  std::istringstream in(text->substr(close + 2));
  ProcStat st;
  long skip = 0;
  long nice = 0, threads = 0;
  in >> st.state >> st.ppid >> st.pgid >> st.sid;
  for (int i = 0; i < 7; ++i) in >> skip;  // tty_nr tpgid flags minflt cminflt majflt cmajflt
  in >> st.utime_ticks >> st.stime_ticks;
  in >> skip >> skip >> skip >> nice >> threads;  // cutime cstime priority nice num_threads
  if (!in) return std::nullopt;
  st.nice = static_cast<int>(nice);
  st.threads = static_cast<int>(threads);
  // itrealvalue … exit_signal (fields 21–38), then processor. Read as
  // words: rsslim is often 2^64-1, which no signed field holds.
  std::string word;
  for (int i = 0; i < 18; ++i) in >> word;
  long processor = -1;
  if (in >> processor) st.processor = static_cast<int>(processor);
  return st;
}

}  // namespace

std::optional<ProcStat> ReadStat(pid_t pid) {
  return ParseStat(Slurp(fmt::format("/proc/{}/stat", pid)));
}

std::optional<ProcStat> ReadTaskStat(pid_t tid) {
  if (auto st = ParseStat(Slurp(fmt::format("/proc/{}/task/{}/stat", tid, tid)))) return st;
  return ReadStat(tid);
}

std::optional<int64_t> ReadTaskCpuNs(pid_t tid) {
  auto text = Slurp(fmt::format("/proc/{}/task/{}/schedstat", tid, tid));
  if (!text || text->empty() || !std::isdigit(static_cast<unsigned char>((*text)[0])))
    return std::nullopt;
  return static_cast<int64_t>(std::strtoll(text->c_str(), nullptr, 10));
}

std::optional<int64_t> ProcessCpuUs(pid_t pid) {
  clockid_t clock{};
  if (clock_getcpuclockid(pid, &clock) != 0) return std::nullopt;
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return std::nullopt;
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

std::optional<ProcStatus> ReadStatus(pid_t pid) {
  auto text = Slurp(fmt::format("/proc/{}/status", pid));
  if (!text) return std::nullopt;
  ProcStatus st;
  st.tgid = static_cast<pid_t>(DecField(*text, "\nTgid:"));
  st.ppid = static_cast<pid_t>(DecField(*text, "\nPPid:"));
  st.sig_ignored = HexField(*text, "\nSigIgn:");
  st.sig_caught = HexField(*text, "\nSigCgt:");
  st.sig_blocked = HexField(*text, "\nSigBlk:");
  return st;
}

std::vector<std::string> ReadCmdline(pid_t pid) {
  std::vector<std::string> argv;
  auto text = Slurp(fmt::format("/proc/{}/cmdline", pid));
  if (!text) return argv;
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\0', start);
    if (end == std::string::npos) end = text->size();
    argv.emplace_back(text->substr(start, end - start));
    start = end + 1;
  }
  return argv;
}

std::string ReadComm(pid_t pid) {
  auto text = Slurp(fmt::format("/proc/{}/comm", pid));
  if (!text) return {};
  while (!text->empty() && text->back() == '\n') text->pop_back();
  return *text;
}

bool InTimedSleep(pid_t pid) {
  auto text = Slurp(fmt::format("/proc/{}/syscall", pid));
  if (!text || text->empty() || !std::isdigit(static_cast<unsigned char>((*text)[0]))) return false;
  const long nr = std::strtol(text->c_str(), nullptr, 10);
  return nr == SYS_nanosleep || nr == SYS_clock_nanosleep;
}

std::optional<FileId> FdTarget(pid_t pid, int fd) {
  struct stat st {};
  if (stat(fmt::format("/proc/{}/fd/{}", pid, fd).c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino};
}

std::optional<FileId> FdIdentity(int own_fd) {
  struct stat st {};
  if (fstat(own_fd, &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino};
}

long ClockTicksPerSecond() {
  static const long ticks = sysconf(_SC_CLK_TCK);
  return ticks;
}

}  // namespace proclab::os
