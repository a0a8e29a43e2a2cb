#include "runner/os/tracer.h"

#include <errno.h>
#include <fmt/format.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <cstring>

#include "runner/os/procfs.h"
#include "runner/os/sys_error.h"

namespace proclab::os {
namespace {

constexpr long kOptions = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                          PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD |
                          PTRACE_O_EXITKILL;

Status RestartTracee(__ptrace_request req, const char* name, pid_t tid, long data) {
  if (ptrace(req, tid, nullptr, data) == 0 || errno == ESRCH) return {};
  return SysError(fmt::format("ptrace({}, {})", name, tid));
}

// `entry`: set when the stop is a syscall-enter-stop.
SyscallInfo FetchSyscall(pid_t tid, bool* entry = nullptr) {
  SyscallInfo out;
  __ptrace_syscall_info info{};
  long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info);
  if (n <= 0) return out;
  if (entry) *entry = info.op == PTRACE_SYSCALL_INFO_ENTRY;
  if (info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
    out.valid = true;
    out.nr = static_cast<long>(info.seccomp.nr);
    for (int i = 0; i < 6; ++i) out.args[i] = info.seccomp.args[i];
  } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
    out.valid = true;
    out.rval = info.exit.rval;
    out.is_error = info.exit.is_error != 0;
  } else if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
    out.valid = true;
    out.nr = static_cast<long>(info.entry.nr);
    for (int i = 0; i < 6; ++i) out.args[i] = info.entry.args[i];
  }
  return out;
}

// The CPUs `tid` may run on; it answers for a zombie too.
std::vector<int> TaskAffinity(pid_t tid) {
  std::vector<int> out;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(tid, sizeof set, &set) != 0) return out;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) out.push_back(c);
  return out;
}

}  // namespace

Status Tracer::Seize(pid_t pid) {
  if (ptrace(PTRACE_SEIZE, pid, nullptr, kOptions) == 0) return {};
  return SysError(fmt::format("ptrace(PTRACE_SEIZE, {})", pid));
}

// Peek first (WNOWAIT): when the task has exited, its real parent can only be
// read from /proc while it is still a zombie, i.e. before we consume the status.
constexpr int kPeek = WEXITED | WSTOPPED | __WALL | WNOHANG | WNOWAIT;

TraceStop Tracer::Next() {
  no_children_ = false;
  siginfo_t si{};
  if (waitid(P_ALL, 0, &si, kPeek) != 0) {
    if (errno == ECHILD) no_children_ = true;
    return {};
  }
  return Take(si);
}

TraceStop Tracer::NextOf(std::span<const pid_t> tids) {
  for (pid_t tid : tids) {
    siginfo_t si{};
    // ECHILD: gone, or never ours; the next Next() says whether any is left.
    if (tid > 0 && waitid(P_PID, static_cast<id_t>(tid), &si, kPeek) == 0 && si.si_pid != 0)
      return Take(si);
  }
  return {};
}

TraceStop Tracer::Take(const siginfo_t& si) {
  if (si.si_pid == 0) return {};
  const pid_t tid = si.si_pid;
  std::optional<pid_t> ppid;
  TraceStop::ExitUsage task_usage;
  const bool final =
      si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED;
  if (final) {
    // The task's own figures are readable only until its status is consumed.
    if (auto st = ReadTaskStat(tid)) {
      ppid = st->ppid;
      task_usage.last_cpu = st->processor;
    }
    task_usage.thread_cpu_ns = ReadTaskCpuNs(tid).value_or(-1);
    if (read_affinity_) task_usage.affinity = TaskAffinity(tid);
  }
  int status = 0;
  struct rusage usage {};
  pid_t got = wait4(tid, &status, __WALL | WNOHANG, &usage);
  if (got != tid) return {};  // consumed elsewhere (cannot happen: one waiter)

  TraceStop stop = ClassifyStatus(tid, status);
  stop.ppid = ppid;
  if (stop.kind == StopKind::kExited || stop.kind == StopKind::kKilled) {
    auto us = [](const timeval& tv) { return int64_t{tv.tv_sec} * 1'000'000 + tv.tv_usec; };
    stop.cpu_us = us(usage.ru_utime) + us(usage.ru_stime);
    stop.max_rss_kb = usage.ru_maxrss;
    task_usage.user_us = us(usage.ru_utime);
    task_usage.system_us = us(usage.ru_stime);
    task_usage.max_rss_kb = usage.ru_maxrss;
    task_usage.voluntary_switches = usage.ru_nvcsw;
    task_usage.involuntary_switches = usage.ru_nivcsw;
    task_usage.minor_faults = usage.ru_minflt;
    task_usage.major_faults = usage.ru_majflt;
    stop.usage = std::move(task_usage);
  }
  switch (stop.kind) {
    case StopKind::kForkEvent:
    case StopKind::kExecEvent:
    case StopKind::kExitEvent: ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &stop.msg); break;
    case StopKind::kSeccompStop: stop.syscall = FetchSyscall(tid); break;
    case StopKind::kSyscallExit: {
      bool entry = false;
      stop.syscall = FetchSyscall(tid, &entry);
      if (entry) stop.kind = StopKind::kSyscallEntry;
      break;
    }
    case StopKind::kSignalDelivery:
      if (ptrace(PTRACE_GETSIGINFO, tid, nullptr, &stop.info) != 0) {
        std::memset(&stop.info, 0, sizeof stop.info);
        stop.info.si_signo = stop.sig;
      }
      break;
    default: break;
  }
  return stop;
}

Status Tracer::Cont(pid_t tid, int sig) {
  return RestartTracee(PTRACE_CONT, "PTRACE_CONT", tid, sig);
}

Status Tracer::ContToSyscall(pid_t tid, int sig) {
  return RestartTracee(PTRACE_SYSCALL, "PTRACE_SYSCALL", tid, sig);
}

Status Tracer::Listen(pid_t tid) { return RestartTracee(PTRACE_LISTEN, "PTRACE_LISTEN", tid, 0); }

Status Tracer::SkipSyscall(pid_t tid, long result) {
#if defined(__x86_64__)
  user_regs_struct regs{};
  if (ptrace(PTRACE_GETREGS, tid, nullptr, &regs) != 0) {
    if (errno == ESRCH) return {};
    return SysError(fmt::format("ptrace(PTRACE_GETREGS, {})", tid));
  }
  // orig_rax = -1 makes the kernel skip the syscall after the seccomp stop;
  // rax is then what the tracee sees returned.
  regs.orig_rax = static_cast<unsigned long long>(-1);
  regs.rax = static_cast<unsigned long long>(result);
  if (ptrace(PTRACE_SETREGS, tid, nullptr, &regs) != 0 && errno != ESRCH)
    return SysError(fmt::format("ptrace(PTRACE_SETREGS, {})", tid));
  return {};
#else
#error "proclab's tracer supports x86_64 only"
#endif
}

namespace {

// Linux's internal restart codes (include/linux/errno.h), seen only by tracers.
constexpr long kErestartNoHand = 514;
constexpr long kErestartRestartBlock = 516;

// Calls that only a signal ends, with -ERESTARTNOHAND: a handler always
// ends them with EINTR, so ending one early costs nothing.
bool OnlyASignalEnds(unsigned long long nr) { return nr == SYS_pause || nr == SYS_rt_sigsuspend; }

}  // namespace

Result<bool> Tracer::UndoSyscallRestart(pid_t tid, long restart_code) {
  user_regs_struct regs{};
  if (ptrace(PTRACE_GETREGS, tid, nullptr, &regs) != 0) {
    if (errno == ESRCH) return false;
    return SysError(fmt::format("ptrace(PTRACE_GETREGS, {})", tid));
  }
  // A rewound call has its number back in rax (restart_syscall's for a
  // restart block) and, by the second pass through the signal code, -1 in
  // orig_rax; it points at its own `syscall` instruction (0f 05).
  const unsigned long long nr = regs.rax;
  if (static_cast<long long>(regs.orig_rax) >= 0 && regs.orig_rax != nr) return false;
  errno = 0;
  const long word = ptrace(PTRACE_PEEKTEXT, tid, regs.rip, nullptr);
  if (errno != 0 || (word & 0xffff) != 0x050f) return false;
  // A task about to make a call looks the same: only a call known to have
  // been interrupted (its exit said so), or one that only a signal ends, is
  // put back.
  long code = 0;
  if (nr == SYS_restart_syscall)
    code = -kErestartRestartBlock;
  else if (restart_code != 0)
    code = restart_code;
  else if (OnlyASignalEnds(nr))
    code = -kErestartNoHand;
  else
    return false;
  // As the first pass left them: the kernel's restart rules, with the
  // handler's real SA_RESTART, then decide between EINTR and a restart.
  regs.orig_rax = nr;
  regs.rax = static_cast<unsigned long long>(code);
  regs.rip += 2;
  if (ptrace(PTRACE_SETREGS, tid, nullptr, &regs) != 0) {
    if (errno == ESRCH) return false;
    return SysError(fmt::format("ptrace(PTRACE_SETREGS, {})", tid));
  }
  return true;
}

}  // namespace proclab::os
