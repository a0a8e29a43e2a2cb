#include "runner/os/procfs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <errno.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string_view>

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

// Reads a small /proc file (a stat, schedstat or status record) into `buf`
// with one read: the kernel renders such a record whole on the first read,
// so a read that leaves room in the buffer has it all. Returns its length,
// or -1 when the file cannot be opened or does not fit (then Slurp). The
// text is NUL-terminated.
ssize_t ReadSmall(const char* path, char* buf, size_t size) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  const ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n < 0 || static_cast<size_t>(n) >= size - 1) return -1;
  buf[n] = '\0';  // the numbers' conversions stop here at the latest
  return n;
}

// A /proc path without an allocation: "/proc/PID/NAME" or
// "/proc/TID/task/TID/NAME".
struct ProcPath {
  char text[64];
  ProcPath(pid_t pid, const char* name) {
    auto end = fmt::format_to_n(text, sizeof text - 1, "/proc/{}/{}", pid, name);
    *end.out = '\0';
  }
  ProcPath(pid_t tid, pid_t task, const char* name) {
    auto end = fmt::format_to_n(text, sizeof text - 1, "/proc/{}/task/{}/{}", tid, task, name);
    *end.out = '\0';
  }
};

// A small /proc file's text: one read into a stack buffer, else Slurp.
template <size_t N>
std::optional<std::string_view> ReadRecord(const ProcPath& path, char (&buf)[N],
                                           std::optional<std::string>* spill) {
  const ssize_t n = ReadSmall(path.text, buf, N);
  if (n >= 0) return std::string_view(buf, static_cast<size_t>(n));
  *spill = Slurp(path.text);
  if (!*spill) return std::nullopt;
  return std::string_view(**spill);
}

// The number after `key`, in `base`; the text must end in a non-digit (a
// newline) so that the conversion stops inside it.
uint64_t FieldAfter(std::string_view text, std::string_view key, int base) {
  size_t at = text.find(key);
  if (at == std::string_view::npos) return 0;
  return std::strtoull(text.data() + at + key.size(), nullptr, base);
}

uint64_t HexField(std::string_view text, std::string_view key) { return FieldAfter(text, key, 16); }

long DecField(std::string_view text, std::string_view key) {
  return static_cast<long>(FieldAfter(text, key, 10));
}

}  // namespace

std::optional<ProcStat> ParseStat(std::string_view text) {
  // comm is in parentheses and may itself contain ") ": parse after the last
  // ')'. The fields are then words separated by single spaces; field 3 is
  // the state.
  const size_t close = text.rfind(')');
  if (close == std::string_view::npos || close + 2 >= text.size()) return std::nullopt;
  std::string_view rest = text.substr(close + 2);
  std::string_view field[40];  // field[i] is stat's field i (1-based, as proc(5) counts)
  int n = 3;
  while (n < 40 && !rest.empty()) {
    const size_t sp = rest.find_first_of(" \n");
    field[n++] = rest.substr(0, sp);
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  // Up to num_threads (field 20) must be there; the processor (39) may not.
  if (n <= 20) return std::nullopt;
  auto number = [&](int i, long long* out) {
    const std::string_view f = field[i];
    if (f.empty()) return false;
    char word[32];
    const size_t len = std::min(f.size(), sizeof word - 1);
    std::memcpy(word, f.data(), len);
    word[len] = '\0';
    char* end = nullptr;
    errno = 0;
    *out = std::strtoll(word, &end, 10);
    return end == word + len && errno == 0;
  };
  ProcStat st;
  if (field[3].size() != 1) return std::nullopt;
  st.state = field[3][0];
  long long v[21] = {};
  for (int i : {4, 5, 6, 14, 15, 19, 20})
    if (!number(i, &v[i])) return std::nullopt;
  st.ppid = static_cast<pid_t>(v[4]);
  st.pgid = static_cast<pid_t>(v[5]);
  st.sid = static_cast<pid_t>(v[6]);
  st.utime_ticks = static_cast<uint64_t>(v[14]);
  st.stime_ticks = static_cast<uint64_t>(v[15]);
  st.nice = static_cast<int>(v[19]);
  st.threads = static_cast<int>(v[20]);
  if (long long cpu = 0; n > 39 && number(39, &cpu)) st.processor = static_cast<int>(cpu);
  if (long long ign = 0, cgt = 0; n > 34 && number(33, &ign) && number(34, &cgt)) {
    st.has_signals = true;
    st.sig_ignored = static_cast<uint64_t>(ign);
    st.sig_caught = static_cast<uint64_t>(cgt);
  }
  return st;
}

namespace {

std::optional<ProcStat> ParseStatFile(const ProcPath& path) {
  char buf[1024];
  std::optional<std::string> spill;
  auto text = ReadRecord(path, buf, &spill);
  if (!text) return std::nullopt;
  return ParseStat(*text);
}

}  // namespace

std::optional<ProcStat> ReadStat(pid_t pid) { return ParseStatFile(ProcPath(pid, "stat")); }

std::optional<ProcStat> ReadTaskStat(pid_t tid) {
  if (auto st = ParseStatFile(ProcPath(tid, tid, "stat"))) return st;
  return ReadStat(tid);
}

std::optional<int64_t> ReadTaskCpuNs(pid_t tid) {
  char buf[128];
  std::optional<std::string> spill;
  auto text = ReadRecord(ProcPath(tid, tid, "schedstat"), buf, &spill);
  if (!text || text->empty() || !std::isdigit(static_cast<unsigned char>((*text)[0])))
    return std::nullopt;
  // "RUN_NS WAIT_NS SLICES\n": the number ends at the space.
  return static_cast<int64_t>(std::strtoll(text->data(), nullptr, 10));
}

std::optional<int64_t> ProcessCpuUs(pid_t pid) {
  clockid_t clock{};
  if (clock_getcpuclockid(pid, &clock) != 0) return std::nullopt;
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return std::nullopt;
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

std::optional<ProcStatus> ReadStatus(pid_t pid) {
  char buf[4096];
  std::optional<std::string> spill;
  auto text = ReadRecord(ProcPath(pid, "status"), buf, &spill);
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
