#include "runner/os/trace_stop.h"

#include <sys/ptrace.h>
#include <sys/wait.h>

namespace proclab::os {

TraceStop ClassifyStatus(pid_t tid, int status) {
  TraceStop stop;
  stop.tid = tid;
  if (WIFEXITED(status)) {
    stop.kind = StopKind::kExited;
    stop.code = WEXITSTATUS(status);
    return stop;
  }
  if (WIFSIGNALED(status)) {
    stop.kind = StopKind::kKilled;
    stop.sig = WTERMSIG(status);
    stop.core = WCOREDUMP(status);
    return stop;
  }
  if (!WIFSTOPPED(status)) return stop;  // WIFCONTINUED: never requested

  stop.sig = WSTOPSIG(status);
  const int event = (status >> 16) & 0xff;
  switch (event) {
    case PTRACE_EVENT_FORK:
      stop.kind = StopKind::kForkEvent;
      stop.fork_kind = ForkKind::kFork;
      return stop;
    case PTRACE_EVENT_VFORK:
      stop.kind = StopKind::kForkEvent;
      stop.fork_kind = ForkKind::kVfork;
      return stop;
    case PTRACE_EVENT_CLONE:
      stop.kind = StopKind::kForkEvent;
      stop.fork_kind = ForkKind::kClone;
      return stop;
    case PTRACE_EVENT_EXEC: stop.kind = StopKind::kExecEvent; return stop;
    case PTRACE_EVENT_EXIT: stop.kind = StopKind::kExitEvent; return stop;
    case PTRACE_EVENT_SECCOMP: stop.kind = StopKind::kSeccompStop; return stop;
    case PTRACE_EVENT_STOP: stop.kind = StopKind::kEventStop; return stop;
    default: break;
  }
  // With PTRACE_O_TRACESYSGOOD a syscall stop reports SIGTRAP|0x80; plain stops
  // of a PTRACE_SEIZEd task are always signal-delivery-stops.
  if (stop.sig == (SIGTRAP | 0x80)) {
    stop.kind = StopKind::kSyscallExit;
    stop.sig = 0;
    return stop;
  }
  stop.kind = StopKind::kSignalDelivery;
  return stop;
}

}  // namespace proclab::os
