// The syscalls the seccomp filter sends us: forks (to count them against
// the cap and learn who forked), writes (whose output line is whose), waits
// (who reaped whom), hypercalls from the lab library, and F_SETOWN-style
// calls that would let a program aim SIGIO at processes outside the lab.
// (The dup family is supervisor_aliases.cc's.)
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <cstring>
#include <utility>

#include "runner/lab/supervisor.h"
#include "runner/os/hypercall.h"

namespace proclab {

using os::Restart;

Restart Supervisor::OnSeccomp(Task& task, const os::TraceStop& stop) {
  const os::SyscallInfo& sc = stop.syscall;
  // Its last clone failed (a new one is starting): no child is pending.
  SetPending(task, false, false);
  task.restart_code = 0;
  if (!sc.valid) return Restart::Cont();
  switch (sc.nr) {
    case SYS_write:
    case SYS_writev:
      if (!OnWriteSyscall(task, sc)) return Restart::Cont();
      SetAwait(task, Await::kWrite);
      return Restart::ToSyscallExit();
    case SYS_wait4:
    case SYS_waitid:
      SetAwait(task, Await::kWait);
      task.waitid_info = sc.nr == SYS_waitid ? sc.args[2] : 0;
      task.waitid_nowait = sc.nr == SYS_waitid && (sc.args[3] & WNOWAIT);
      return Restart::ToSyscallExit();
    case SYS_fork:
    case SYS_vfork:
    case SYS_clone: return OnForkSyscall(task, sc);
    case SYS_prctl: return OnHypercall(task, sc);
    case SYS_dup:
    case SYS_dup2:
    case SYS_dup3: return OnDupSyscall(task, sc);
    case SYS_fcntl: {
      const auto cmd = static_cast<unsigned>(sc.args[1]);  // the kernel reads an unsigned int
      if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) return OnDupSyscall(task, sc);
      return OnSetOwner(task, sc);
    }
    case SYS_ioctl: return OnSetOwner(task, sc);
    case SYS_kill:
    case SYS_tkill:
    case SYS_tgkill:
    case SYS_rt_sigqueueinfo:
    case SYS_rt_tgsigqueueinfo:
    case SYS_pidfd_send_signal: return OnKillSyscall(task, sc);
    default: return Restart::Cont();
  }
}

Restart Supervisor::OnForkSyscall(Task& task, const os::SyscallInfo& sc) {
  uint64_t flags = SIGCHLD;
  if (sc.nr == SYS_vfork) flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
  if (sc.nr == SYS_clone) flags = sc.args[0];
  if (sc.nr == SYS_clone && (flags & CLONE_UNTRACED)) {
    // An untraced child would escape the lab; the caller gets what an
    // unprivileged sandbox gives it.
    return Restart::Fail(EPERM);
  }
  const bool new_process = !(flags & CLONE_THREAD);
  // Both caps count what holds a pid, as pids.max does: zombies too, and
  // clones let through whose child has not appeared yet.
  if (new_process && static_cast<int>(procs_.size()) + pending_forks_ >= opt_.max_processes)
    return Refuse(task, "processes", /*thread=*/false,
                  fmt::format("{} processes (zombies included): fork refused with EAGAIN",
                              opt_.max_processes));
  if (opt_.max_tasks > 0 && TasksInUse() >= opt_.max_tasks)
    return Refuse(task, "tasks", /*thread=*/!new_process,
                  fmt::format("{} tasks (threads and processes, zombies included): {} refused "
                              "with EAGAIN",
                              opt_.max_tasks, new_process ? "fork" : "thread creation"));
  SetPending(task, new_process, !new_process);
  task.clone_flags = flags;
  return Restart::Cont();
}

Restart Supervisor::Refuse(Task& task, const std::string& kind, bool thread,
                           const std::string& detail) {
  ++(thread ? threads_refused_ : forks_refused_);
  last_refused_ = kind;
  if (reported_limits_.insert(kind).second) {
    Event e;
    e.type = EventType::kLimit;
    e.kind = kind;
    e.pid = task.tgid;
    e.detail = detail;
    Record(std::move(e));
  }
  return Restart::Fail(EAGAIN);
}

std::optional<Supervisor::OutputTarget> Supervisor::ClassifyWrite(pid_t tid, int fd,
                                                                  Stream tty_stream) {
  // Fast and exact: the very open file description the lab handed out.
  bool kcmp_works = true;
  if (opt_.tty_fd >= 0) {
    auto same = ops_.SameOpenFile(tid, fd, opt_.tty_fd);
    if (same && *same) return OutputTarget{tty_stream, true, -1};
    kcmp_works = same.has_value();
  }
  const std::pair<int, int> ends[2] = {{opt_.stdout_w, opt_.stdout_r},
                                       {opt_.stderr_w, opt_.stderr_r}};
  for (int i = 0; i < 2 && kcmp_works; ++i) {
    if (ends[i].first < 0) continue;
    auto same = ops_.SameOpenFile(tid, fd, ends[i].first);
    kcmp_works = same.has_value();
    if (same && *same)
      return OutputTarget{i == 0 ? Stream::kStdout : Stream::kStderr,
                          ops_.IsNonBlocking(ends[i].first), ends[i].second};
  }
  // Another description of the same file (a reopened /proc/self/fd/1), or no
  // kcmp: compare the files themselves; its flags are then unknown.
  auto target = ops_.FdTarget(tid, fd);
  if (!target) return std::nullopt;
  if (opt_.tty_target && *target == *opt_.tty_target) return OutputTarget{tty_stream, true, -1};
  if (opt_.stdout_target && *target == *opt_.stdout_target)
    return OutputTarget{Stream::kStdout, true, -1};
  if (opt_.stderr_target && *target == *opt_.stderr_target)
    return OutputTarget{Stream::kStderr, true, -1};
  return std::nullopt;  // redirected elsewhere: not the program's output
}

// A write is recorded at its seccomp stop when it cannot come back short: a
// blocking pipe with room to spare (half the free space, for other writers
// racing it). Otherwise at its exit, with the count the kernel returned.
bool Supervisor::OnWriteSyscall(Task& task, const os::SyscallInfo& sc) {
  const int fd = static_cast<int>(sc.args[0]);
  auto target = ClassifyWrite(task.tid, fd, fd == 2 ? Stream::kStderr : Stream::kStdout);
  return target && TakeWrite(task, sc, *target);
}

// Reads the write's bytes; records them now, or returns true to have them
// recorded at the syscall's exit.
bool Supervisor::TakeWrite(Task& task, const os::SyscallInfo& sc, const OutputTarget& target) {
  const Stream stream = target.stream;
  const size_t budget = output_->Budget(stream);
  std::string data;
  uint64_t total = 0;
  if (sc.nr == SYS_write) {
    total = sc.args[2];
    data = ops_.ReadMemory(task.tid, sc.args[1], std::min<uint64_t>(total, budget));
  } else {
    data = ops_.ReadIovec(task.tid, sc.args[1], static_cast<int>(sc.args[2]), budget, &total);
  }
  if (total == 0) return false;
  bool follow = target.may_fall_short;
  if (!follow) {
    const int64_t room = ops_.PipeRoom(target.pipe_read_fd);
    follow = room < 0 || total > static_cast<uint64_t>(room) / 2;
  }
  if (!follow) {
    output_->Write(task.tgid, stream, data, total, clock_());
    return false;
  }
  task.pending_write = PendingWrite{stream, std::move(data)};
  return true;
}

void Supervisor::OnWriteExit(Task& task, const os::TraceStop& stop) {
  const os::SyscallInfo& sc = stop.syscall;
  if (!sc.valid || sc.is_error || sc.rval <= 0) {
    task.pending_write.reset();  // EAGAIN, EINTR, EPIPE, EFAULT: nothing was written
    return;
  }
  FlushPendingWrite(task, static_cast<uint64_t>(sc.rval));
}

// `written`: what the syscall returned; nullopt when the task ended inside
// it (SIGKILL at the exit stop): the bytes most likely landed, so all count.
void Supervisor::FlushPendingWrite(Task& task, std::optional<uint64_t> written) {
  if (!task.pending_write) return;
  PendingWrite w = std::move(*task.pending_write);
  task.pending_write.reset();
  const uint64_t total = written.value_or(w.data.size());
  if (w.data.size() > total) w.data.resize(total);
  output_->Write(task.tgid, w.stream, w.data, total, clock_());
}

Restart Supervisor::OnSyscallExit(Task& task, const os::TraceStop& stop) {
  const Await await = task.await;
  SetAwait(task, Await::kNone);
  // -ERESTARTSYS … -ERESTART_RESTARTBLOCK: interrupted by a signal; what the
  // kernel does next depends on it (Tracer::UndoSyscallRestart).
  const long rval = stop.syscall.valid ? stop.syscall.rval : 0;
  task.restart_code = rval <= -512 && rval >= -516 ? rval : 0;
  if (await == Await::kWait) OnWaitExit(task, stop);
  if (await == Await::kKill) OnKillExit(task, stop);
  if (await == Await::kWrite) OnWriteExit(task, stop);
  if (await == Await::kDup) OnDupExit(task, stop);
  return Restart::Cont();
}

void Supervisor::OnWaitExit(Task& task, const os::TraceStop& stop) {
  const os::SyscallInfo& sc = stop.syscall;
  pid_t child = 0;
  if (!sc.valid || sc.is_error || task.waitid_nowait) child = -1;
  if (child == 0 && task.waitid_info) {
    // waitid returns 0 and names the child in the siginfo it filled in.
    std::string raw = ops_.ReadMemory(task.tid, task.waitid_info, sizeof(siginfo_t));
    if (raw.size() == sizeof(siginfo_t)) {
      siginfo_t si;
      std::memcpy(&si, raw.data(), sizeof si);
      child = si.si_pid;
    }
  } else if (child == 0) {
    child = static_cast<pid_t>(sc.rval);
  }
  if (child == 0 && task.waitid_info == 0 && sc.valid && !sc.is_error && !task.waitid_nowait) {
    // waitid without a siginfo names no child: it took one of ours that is gone.
    for (pid_t pid : ChildrenOf(task.tgid))
      if (procs_.at(pid).exited && (unclaimed_.count(pid) || ops_.Gone(pid))) {
        child = pid;
        break;
      }
  }
  Proc* p = child > 0 ? FindProc(child) : nullptr;
  // A wait that reported a stop or continue reaps nothing: the child must have
  // exited and be gone now.
  if (p && p->exited && (unclaimed_.count(child) || ops_.Gone(child)))
    Reap(child, Party::Process(task.tgid));
  if (InWait(task.tgid)) return;
  // No wait of this process is left to claim them: the kernel reaped these.
  std::vector<pid_t> unclaimed;
  for (pid_t pid : unclaimed_)
    if (procs_.at(pid).ppid == task.tgid) unclaimed.push_back(pid);
  for (pid_t pid : unclaimed) Reap(pid, Party::Kernel());
}

Restart Supervisor::OnHypercall(Task& task, const os::SyscallInfo& sc) {
  Proc* proc = FindProc(task.tgid);
  if (sc.args[0] != os::kHypercallOption || !proc || !proc->is_actor || !hypercalls_)
    return Restart::Cont();  // an ordinary prctl: the kernel answers it
  const std::string text =
      ops_.ReadMemory(task.tid, sc.args[2], std::min<uint64_t>(sc.args[3], 4096));
  switch (static_cast<os::Hypercall>(sc.args[1])) {
    case os::Hypercall::kName: NameActor(task.tgid, text); return Restart::Skip(0);
    case os::Hypercall::kNameNextChild: proc->next_child_name = text; return Restart::Skip(0);
    case os::Hypercall::kResolve: return Restart::Skip(hypercalls_->Resolve(text));
    case os::Hypercall::kMeasure: return Restart::Skip(hypercalls_->Measure(task.tgid, text));
    case os::Hypercall::kCheckpoint:
      hypercalls_->Checkpoint(task.tid, text);
      return Restart::Hold();  // FinishCheckpoint lets it go on
  }
  return Restart::Fail(EINVAL);
}

// Who gets SIGIO for a descriptor. In a PID namespace the kernel confines
// it; without one the lab allows only owners inside the lab, and refuses the
// variants whose target sits in program memory (it could change after a look).
Restart Supervisor::OnSetOwner(Task& task, const os::SyscallInfo& sc) {
  (void)task;
  if (opt_.pid_namespace) return Restart::Cont();
  bool inside = false;
  if (sc.nr == SYS_fcntl && sc.args[1] == F_SETOWN) {
    const pid_t owner = static_cast<pid_t>(sc.args[2]);
    inside = owner == 0 || (owner > 0 ? FindProc(owner) != nullptr || tasks_.count(owner) > 0
                                      : !GroupMembers(-owner).empty());
  }
  return inside ? Restart::Cont() : Restart::Fail(EPERM);
}

}  // namespace proclab
