// The tracer: event-only ptrace of every descendant of the lab. Next() only
// classifies (it consumes one wait status and fetches what that stop needs);
// the restart calls are the caller's decision, as strace's dispatch_event is.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <span>

#include "runner/base/error.h"
#include "runner/os/trace_stop.h"

namespace proclab::os {

class Tracer {
 public:
  // PTRACE_SEIZE a child that is blocked before exec, with the options every
  // descendant inherits: fork/vfork/clone/exec/seccomp events, syscall-stops
  // marked with 0x80, and EXITKILL so nothing outlives the lab.
  static Status Seize(pid_t pid);

  // Consumes one pending wait status, if any, and classifies it. Returns kind
  // kNone when nothing is pending; NoChildren() then tells whether the lab has
  // no child or tracee left at all.
  TraceStop Next();
  [[nodiscard]] bool NoChildren() const { return no_children_; }
  // The same, looking only at `tids`. The kernel walks every tracee of ours
  // to answer Next(), one by one; it finds a given tid at once. With 10,000
  // tracees alive that walk was most of the lab's time (bench/README.md), so
  // the lab asks first about the tasks likely to stop next.
  TraceStop NextOf(std::span<const pid_t> tids);
  // Whether an exit's figures include the CPUs the task could run on (a
  // sched_getaffinity each): only a pinned run asks whether one widened them.
  void ReadAffinity(bool on) { read_affinity_ = on; }

  // Restarts. ESRCH (the task was killed meanwhile) is not an error.
  static Status Cont(pid_t tid, int sig = 0);
  // PTRACE_SYSCALL: from a seccomp stop, stop again at that syscall's exit;
  // otherwise at the next syscall entry or exit.
  static Status ContToSyscall(pid_t tid, int sig = 0);
  static Status Listen(pid_t tid);  // keep a group-stop real

  // At a seccomp stop: skip the syscall and make it return `result`.
  static Status SkipSyscall(pid_t tid, long result);
  // At a seccomp stop: skip the syscall and make it fail with `err`.
  static Status FailSyscall(pid_t tid, int err) { return SkipSyscall(tid, -err); }

  // At a signal-delivery-stop: when the kernel has already rewound an
  // interrupted syscall to restart it (no handler was due then), puts back
  // the syscall's return of `restart_code` (-ERESTARTSYS, -ERESTARTNOHAND, …,
  // as its syscall-exit-stop showed; 0: none was seen, then only pause() and
  // sigsuspend(), which a handler always ends, are put back) so that
  // delivering a handled signal now ends the call as the kernel would have,
  // had the signal come a moment earlier: EINTR, or a restart under
  // SA_RESTART. True when it did.
  //
  // Why: under ptrace an ignored signal is still delivered to the tracer, so
  // it interrupts a blocking call that it never would untraced. The kernel
  // discards it and rewinds the call; a handled signal that lands after that
  // decision runs its handler and the call silently starts again. A Python
  // program in waitpid() or signal.pause() then never runs its Python-level
  // handler (it runs only when the call returns EINTR) and hangs.
  static Result<bool> UndoSyscallRestart(pid_t tid, long restart_code);

 private:
  TraceStop Take(const siginfo_t& si);  // consumes the status `si` peeked

  bool no_children_ = false;
  bool read_affinity_ = false;
};

}  // namespace proclab::os
