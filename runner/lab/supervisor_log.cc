// The debug log (PROCLAB_DEBUG=1, trace --debug): one line per stop and the
// restart it got, to diagnose a tracee that hangs.
#include <fmt/format.h>
#include <sys/syscall.h>

#include <iterator>

#include "runner/lab/supervisor.h"

namespace proclab {

using os::Restart;
using os::StopKind;

namespace {

// The syscalls the seccomp filter stops (and those aliases are followed through), by name.
std::string SyscallName(long nr) {
  switch (nr) {
    case SYS_write: return "write";
    case SYS_writev: return "writev";
    case SYS_wait4: return "wait4";
    case SYS_waitid: return "waitid";
    case SYS_fork: return "fork";
    case SYS_vfork: return "vfork";
    case SYS_clone: return "clone";
    case SYS_prctl: return "prctl";
    case SYS_fcntl: return "fcntl";
    case SYS_ioctl: return "ioctl";
    case SYS_kill: return "kill";
    case SYS_tkill: return "tkill";
    case SYS_tgkill: return "tgkill";
    case SYS_rt_sigqueueinfo: return "rt_sigqueueinfo";
    case SYS_rt_tgsigqueueinfo: return "rt_tgsigqueueinfo";
    case SYS_pidfd_send_signal: return "pidfd_send_signal";
    case SYS_dup: return "dup";
    case SYS_dup2: return "dup2";
    case SYS_dup3: return "dup3";
    case SYS_close: return "close";
    case SYS_close_range: return "close_range";
    default: return fmt::format("syscall {}", nr);
  }
}

}  // namespace

void Supervisor::Log(const os::TraceStop& stop, const Restart& r) const {
  static constexpr const char* kKinds[] = {"none",         "exited",     "killed",  "fork-event",
                                           "exec",         "exit-event", "seccomp", "syscall-entry",
                                           "syscall-exit", "event-stop", "signal"};
  static_assert(std::size(kKinds) == static_cast<size_t>(StopKind::kSignalDelivery) + 1);
  std::string what = kKinds[static_cast<int>(stop.kind)];
  if ((stop.kind == StopKind::kSeccompStop || stop.kind == StopKind::kSyscallEntry) &&
      stop.syscall.valid)
    what += fmt::format(" {}({}, {}, {})", SyscallName(stop.syscall.nr), stop.syscall.args[0],
                        stop.syscall.args[1], stop.syscall.args[2]);
  if (stop.kind == StopKind::kSyscallExit && stop.syscall.valid)
    what += fmt::format(" = {}", stop.syscall.rval);
  if (stop.sig) what += fmt::format(" sig={}", stop.sig);
  if (stop.msg) what += fmt::format(" msg={}", stop.msg);
  fmt::print(stderr, "proclab-debug {:>10.6f} tid {} {} → {}\n", clock_() / 1e6, stop.tid, what,
             r.Describe());
}

}  // namespace proclab
