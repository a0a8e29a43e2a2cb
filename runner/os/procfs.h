// Reading /proc. Every function takes a pid as the lab sees it: with a PID
// namespace the lab mounts its own /proc, so these are namespace pids.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace proclab::os {

struct ProcStat {
  char state = '?';  // R S D T t Z X I as in /proc/PID/stat
  pid_t ppid = 0;
  pid_t pgid = 0;
  pid_t sid = 0;
  int nice = 0;
  int threads = 0;
  uint64_t utime_ticks = 0;
  uint64_t stime_ticks = 0;
  int processor = -1;  // the CPU it last ran on
  // Fields 33 and 34: as ProcStatus's SigIgn and SigCgt, for signals 1-31
  // only (stat prints 31 bits); has_signals is false when they are missing.
  bool has_signals = false;
  uint64_t sig_ignored = 0;
  uint64_t sig_caught = 0;
};
std::optional<ProcStat> ReadStat(pid_t pid);
// The text of a stat file; nullopt when a field up to num_threads is missing.
std::optional<ProcStat> ParseStat(std::string_view text);
// One task's own /proc/TID/task/TID/stat (/proc/TID/stat sums the process's
// threads), falling back to /proc/TID/stat. It works on a zombie until it is
// reaped.
std::optional<ProcStat> ReadTaskStat(pid_t tid);
// The task's CPU time in nanoseconds, from /proc/TID/task/TID/schedstat
// (stat counts in clock ticks); nullopt when unreadable.
std::optional<int64_t> ReadTaskCpuNs(pid_t tid);
// The whole process's CPU time so far (all its threads, living and ended;
// not its children), in microseconds, from its CPU clock: no /proc read and
// no stop. nullopt when it is gone.
std::optional<int64_t> ProcessCpuUs(pid_t pid);

// Signal dispositions and identity from /proc/PID/status.
struct ProcStatus {
  pid_t tgid = 0;
  pid_t ppid = 0;
  uint64_t sig_ignored = 0;  // bit (sig-1) set when SIG_IGN
  uint64_t sig_caught = 0;   // bit (sig-1) set when a handler is installed
  uint64_t sig_blocked = 0;
};
std::optional<ProcStatus> ReadStatus(pid_t pid);

std::vector<std::string> ReadCmdline(pid_t pid);
std::string ReadComm(pid_t pid);
// Whether the process is blocked in a sleep that ends by itself (nanosleep,
// clock_nanosleep: Python's time.sleep, C's sleep), from /proc/PID/syscall.
bool InTimedSleep(pid_t pid);

// (st_dev, st_ino) of what descriptor `fd` of `pid` refers to, or nullopt when
// the process or descriptor is gone. Used to tell whether a write to fd 1 lands
// in the lab's capture pipe.
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const FileId&) const = default;
};
std::optional<FileId> FdTarget(pid_t pid, int fd);
std::optional<FileId> FdIdentity(int own_fd);

long ClockTicksPerSecond();

}  // namespace proclab::os
