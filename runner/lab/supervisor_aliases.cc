// Output written through another descriptor for fd 1 or 2. glibc's perror()
// dups fd 2 and writes to the dup when fdopen(dup, "w+") works: on a terminal
// (opened O_RDWR), not on a pipe (O_WRONLY). The seccomp filter stops writes
// on fds 1 and 2 only; stopping every write would slow every program that
// writes files. So the lab follows the rare calls that make aliases (dup,
// dup2, dup3, fcntl F_DUPFD[_CLOEXEC], which the filter stops) and keeps a
// table per process: a forked child gets a copy, exec drops what it closed,
// close and close_range drop entries. While a process holds an alias, its
// tasks are restarted with PTRACE_SYSCALL, and a write through an alias is
// recorded at its syscall-enter-stop exactly as a write to fd 1 or 2 is at
// its seccomp stop: its writer is the very process that made the call.
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>

#include "runner/lab/supervisor.h"

namespace proclab {

using os::Restart;

// At the seccomp stop of dup(fd), dup2/dup3(fd, to) or fcntl(fd, F_DUPFD…):
// followed to its exit when it copies the program's output (a new alias) or
// replaces an alias (`to` closed first, by the kernel).
Restart Supervisor::OnDupSyscall(Task& task, const os::SyscallInfo& sc) {
  Proc* proc = FindProc(task.tgid);
  if (!proc) return Restart::Cont();
  const int fd = static_cast<int>(sc.args[0]);
  std::optional<Stream> copies;
  auto alias = proc->aliases.find(fd);
  if (fd == 1 || fd == 2 || alias != proc->aliases.end()) {
    const Stream tty_stream = alias != proc->aliases.end() ? alias->second
                              : fd == 2                    ? Stream::kStderr
                                                           : Stream::kStdout;
    if (auto target = ClassifyWrite(task.tid, fd, tty_stream)) copies = target->stream;
  }
  const bool replaces = (sc.nr == SYS_dup2 || sc.nr == SYS_dup3) &&
                        proc->aliases.count(static_cast<int>(sc.args[1])) > 0;
  if (!copies && !replaces) return Restart::Cont();
  task.dup_of = copies;
  SetAwait(task, Await::kDup);
  return Restart::ToSyscallExit();
}

void Supervisor::OnDupExit(Task& task, const os::TraceStop& stop) {
  const std::optional<Stream> copies = std::exchange(task.dup_of, std::nullopt);
  const os::SyscallInfo& sc = stop.syscall;
  Proc* proc = FindProc(task.tgid);
  if (!proc || !sc.valid || sc.is_error || sc.rval < 0) return;  // EBADF, EMFILE: nothing made
  const int fd = static_cast<int>(sc.rval);
  proc->aliases.erase(fd);
  // A copy onto fd 1 or 2 needs no following: the filter stops those.
  if (copies && fd != 1 && fd != 2) proc->aliases[fd] = *copies;
}

// A task of a process with aliases stops at every syscall entry, before the
// seccomp filter runs (the kernel's order since 4.8): writes to fds 1 and 2
// are left to their seccomp stop that follows.
Restart Supervisor::OnSyscallEntry(Task& task, const os::TraceStop& stop) {
  const os::SyscallInfo& sc = stop.syscall;
  Proc* proc = FindProc(task.tgid);
  if (!sc.valid || !proc || proc->aliases.empty()) return Restart::Cont();
  const int fd = static_cast<int>(sc.args[0]);
  switch (sc.nr) {
    case SYS_write:
    case SYS_writev: {
      auto alias = proc->aliases.find(fd);
      if (alias == proc->aliases.end()) break;
      // Checked again each time: a process sharing the table (CLONE_FILES)
      // may have closed it and opened something else under that number.
      auto target = ClassifyWrite(task.tid, fd, alias->second);
      if (!target) {
        proc->aliases.erase(alias);
        break;
      }
      if (!TakeWrite(task, sc, *target)) break;
      SetAwait(task, Await::kWrite);
      return Restart::ToSyscallExit();
    }
    // close releases the descriptor even when it fails (EINTR, EIO).
    case SYS_close: proc->aliases.erase(fd); break;
    case SYS_close_range:
      if (sc.args[2] & CLOSE_RANGE_CLOEXEC) break;  // only marked: exec closes them
      for (auto it = proc->aliases.begin(); it != proc->aliases.end();) {
        const auto n = static_cast<uint64_t>(it->first);
        it = n >= (sc.args[0] & 0xffffffffu) && n <= (sc.args[1] & 0xffffffffu)
                 ? proc->aliases.erase(it)
                 : std::next(it);
      }
      break;
    default: break;
  }
  return Restart::Cont();
}

// After exec: close-on-exec aliases are gone (the kernel closed them before
// the exec event), the others are still there.
void Supervisor::RecheckAliases(Proc& proc, pid_t tid) {
  for (auto it = proc.aliases.begin(); it != proc.aliases.end();)
    it = ClassifyWrite(tid, it->first, it->second) ? std::next(it) : proc.aliases.erase(it);
}

// Every restart of a task whose process holds aliases asks for the next
// syscall stop; the first restart with PTRACE_CONT after the last alias is
// gone ends that. (Another thread of the process starts stopping at syscalls
// from its own next stop, not at once.)
Restart Supervisor::FollowAliases(pid_t tid, Restart r) {
  if (r.op != Restart::Op::kCont) return r;
  auto task = tasks_.find(tid);
  if (task == tasks_.end()) return r;
  const Proc* proc = FindProc(task->second.tgid);
  if (proc && !proc->aliases.empty()) r.op = Restart::Op::kSyscall;
  return r;
}

}  // namespace proclab
