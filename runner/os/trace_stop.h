// What one wait status from a ptraced task means. Classification is a pure
// function of the status word (plus what the tracer fetched for that stop), so
// it is unit-tested on synthesised statuses; acting on it is the supervisor's job.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace proclab::os {

enum class StopKind {
  kNone,            // nothing to report
  kExited,          // final: the task is gone (a zombie for its real parent); `code`
  kKilled,          // final: died of `sig`, `core` when a core was dumped
  kForkEvent,       // PTRACE_EVENT_FORK/VFORK/CLONE; `msg` = new tid; restart: PTRACE_CONT 0
  kExecEvent,       // PTRACE_EVENT_EXEC; `msg` = former tid; restart: PTRACE_CONT 0
  kExitEvent,       // PTRACE_EVENT_EXIT; `msg` = wait status; restart: PTRACE_CONT 0
  kSeccompStop,     // PTRACE_EVENT_SECCOMP; `syscall` filled; restart: CONT or SYSCALL
  kSyscallEntry,    // syscall-enter-stop of a task restarted with PTRACE_SYSCALL outside
                    // a syscall; `syscall` filled. It comes before the seccomp stop
                    // of the same syscall. restart: PTRACE_SYSCALL or PTRACE_CONT
  kSyscallExit,     // syscall-exit-stop (SIGTRAP|0x80) we asked for; restart: PTRACE_CONT 0
  kEventStop,       // PTRACE_EVENT_STOP: a new task's first stop, a group-stop
                    // (`sig` is the stop signal; restart: PTRACE_LISTEN) or the end
                    // of a listened group-stop (`sig` SIGTRAP; restart: PTRACE_CONT 0)
  kSignalDelivery,  // signal-delivery-stop; `info` filled; restart: PTRACE_CONT sig
};

enum class ForkKind { kFork, kVfork, kClone };

struct SyscallInfo {
  bool valid = false;
  long nr = -1;
  std::array<uint64_t, 6> args{};
  int64_t rval = 0;  // syscall-exit only
  bool is_error = false;
};

struct TraceStop {
  pid_t tid = 0;
  StopKind kind = StopKind::kNone;
  int sig = 0;        // stop signal, killing signal or delivered signal
  int code = 0;       // exit code for kExited
  bool core = false;  // kKilled with a core dump
  ForkKind fork_kind = ForkKind::kFork;
  unsigned long msg = 0;      // PTRACE_GETEVENTMSG where the kind has one
  siginfo_t info{};           // kSignalDelivery
  SyscallInfo syscall;        // kSeccompStop, kSyscallEntry, kSyscallExit
  std::optional<pid_t> ppid;  // final stops: real parent read before the status was consumed
  // Final stops: what wait4 said the task used (its own, not its children's
  // unless it reaped them); -1 when unknown.
  int64_t cpu_us = -1;
  int64_t max_rss_kb = -1;
  // Final stops: the rest of what the kernel accounted.
  struct ExitUsage {
    // wait4's rusage: the task's whole process (every thread) plus the
    // children that process reaped, as the kernel sums them (RUSAGE_BOTH).
    int64_t user_us = 0, system_us = 0, max_rss_kb = 0;
    int64_t voluntary_switches = 0, involuntary_switches = 0;
    int64_t minor_faults = 0, major_faults = 0;
    // The task alone, from /proc while it was still a zombie.
    int64_t thread_cpu_ns = -1;  // -1: unreadable
    int last_cpu = -1;
    std::vector<int> affinity;  // the CPUs it could run on; empty: unknown
  };
  std::optional<ExitUsage> usage;
};

// The part of classification that depends only on the status word. A syscall
// stop is kSyscallExit here; only PTRACE_GET_SYSCALL_INFO tells an entry.
TraceStop ClassifyStatus(pid_t tid, int status);

}  // namespace proclab::os
