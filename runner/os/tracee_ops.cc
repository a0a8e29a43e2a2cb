#include "runner/os/tracee_ops.h"

#include <fmt/format.h>
#include <unistd.h>

#include "runner/base/signal_names.h"
#include "runner/os/open_files.h"
#include "runner/os/process_ops.h"
#include "runner/os/sys_error.h"
#include "runner/os/tracee_memory.h"
#include "runner/os/tracer.h"

namespace proclab::os {

std::string Restart::Describe() const {
  std::string out;
  if (skip_result)
    out = *skip_result < 0 ? fmt::format("skip → -{}, ", ErrnoName(static_cast<int>(-*skip_result)))
                           : fmt::format("skip → {}, ", *skip_result);
  switch (op) {
    case Op::kNone: return out + "none (gone)";
    case Op::kCont: return out + (sig ? "PTRACE_CONT " + SignalName(sig) : "PTRACE_CONT");
    case Op::kSyscall: return out + (sig ? "PTRACE_SYSCALL " + SignalName(sig) : "PTRACE_SYSCALL");
    case Op::kListen: return out + "PTRACE_LISTEN";
    case Op::kHold: return out + "hold";
  }
  return out;
}

Status KernelTraceeOps::Resume(pid_t tid, const Restart& r) {
  if (r.skip_result)
    if (Status st = Tracer::SkipSyscall(tid, *r.skip_result); !st) return st;
  switch (r.op) {
    case Restart::Op::kNone:
    case Restart::Op::kHold: return {};
    case Restart::Op::kCont: return Tracer::Cont(tid, r.sig);
    case Restart::Op::kSyscall: return Tracer::ContToSyscall(tid, r.sig);
    case Restart::Op::kListen: return Tracer::Listen(tid);
  }
  return {};
}

Result<bool> KernelTraceeOps::SendSignal(pid_t pid, int sig) { return os::SendSignal(pid, sig); }
int KernelTraceeOps::OpenPidfd(pid_t pid) { return os::OpenPidfd(pid); }
void KernelTraceeOps::ClosePidfd(int pidfd) {
  if (pidfd >= 0) close(pidfd);
}
Result<bool> KernelTraceeOps::SignalPidfd(int pidfd, int sig) {
  return os::SignalPidfd(pidfd, sig);
}
bool KernelTraceeOps::Gone(pid_t pid) { return ProcessGone(pid); }
pid_t KernelTraceeOps::PidfdTarget(pid_t holder, int fd) { return os::PidfdTarget(holder, fd); }
std::optional<ProcStat> KernelTraceeOps::Stat(pid_t pid) { return ReadStat(pid); }
std::optional<ProcStatus> KernelTraceeOps::StatusOf(pid_t pid) { return ReadStatus(pid); }
std::optional<ProcStatus> KernelTraceeOps::SignalMasks(pid_t pid, int sig) {
  if (sig >= 1 && sig < 32)
    if (auto st = stat_files_.Read(pid); st && st->has_signals) {
      ProcStatus masks;
      masks.sig_ignored = st->sig_ignored;
      masks.sig_caught = st->sig_caught;
      return masks;
    }
  return ReadStatus(pid);
}
std::vector<std::string> KernelTraceeOps::Cmdline(pid_t pid) { return ReadCmdline(pid); }
std::string KernelTraceeOps::Comm(pid_t pid) { return ReadComm(pid); }
long KernelTraceeOps::ClockTicksPerSecond() { return os::ClockTicksPerSecond(); }

std::string KernelTraceeOps::ReadMemory(pid_t tid, uint64_t addr, size_t len) {
  return ReadTraceeBytes(tid, addr, len);
}

std::string KernelTraceeOps::ReadIovec(pid_t tid, uint64_t iov, int iovcnt, size_t max_bytes,
                                       uint64_t* total) {
  return ReadTraceeIovec(tid, iov, iovcnt, max_bytes, total);
}

std::optional<bool> KernelTraceeOps::SameOpenFile(pid_t tid, int fd, int own_fd) {
  return os::SameOpenFile(tid, fd, own_fd);
}
std::optional<FileId> KernelTraceeOps::FdTarget(pid_t tid, int fd) { return os::FdTarget(tid, fd); }
bool KernelTraceeOps::IsNonBlocking(int own_fd) { return os::IsNonBlocking(own_fd); }
int64_t KernelTraceeOps::PipeRoom(int read_fd) { return os::PipeRoom(read_fd); }

bool KernelTraceeOps::UndoSyscallRestart(pid_t tid, long restart_code) {
  auto undone = Tracer::UndoSyscallRestart(tid, restart_code);
  return undone && *undone;  // failing, the call restarts as the kernel decided
}

}  // namespace proclab::os
