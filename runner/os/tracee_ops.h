// What the supervisor asks of the kernel about its tracees — restarts, /proc,
// their memory and descriptors, signals — behind one interface, so that the
// supervisor is unit-tested on scripted stop sequences without ptrace.
// KernelTraceeOps is the real one.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/os/procfs.h"
#include "runner/os/stat_files.h"

namespace proclab::os {

// What to do with a stopped tracee: the one restart each stop gets (strace's
// dispatch_event). At a seccomp stop it may first skip the syscall, making
// it return `skip_result` without running.
struct Restart {
  enum class Op {
    kNone,     // the task is gone: nothing to restart
    kCont,     // PTRACE_CONT, delivering `sig` (0: none)
    kSyscall,  // PTRACE_SYSCALL, delivering `sig`: stop again at this syscall's exit
               // (from a seccomp stop), else at the next syscall entry or exit
    kListen,   // PTRACE_LISTEN: keep a group-stop real
    kHold,     // leave it stopped; someone restarts it later (a checkpoint's caller)
  };
  Op op = Op::kCont;
  int sig = 0;
  std::optional<long> skip_result;

  static Restart None() { return {Op::kNone, 0, {}}; }
  static Restart Cont(int sig = 0) { return {Op::kCont, sig, {}}; }
  static Restart ToSyscallExit() { return {Op::kSyscall, 0, {}}; }
  static Restart Listen() { return {Op::kListen, 0, {}}; }
  static Restart Hold() { return {Op::kHold, 0, {}}; }
  // Skip the syscall; the tracee sees `result` returned (or -errno).
  static Restart Skip(long result) { return {Op::kCont, 0, result}; }
  static Restart Fail(int err) { return Skip(-err); }
  bool operator==(const Restart&) const = default;
  // "PTRACE_CONT", "PTRACE_CONT SIGUSR1", "skip → -EPERM, PTRACE_CONT", …
  [[nodiscard]] std::string Describe() const;
};

class TraceeOps {
 public:
  virtual ~TraceeOps() = default;
  // Issues `r` to the stopped task `tid`. ESRCH (killed meanwhile) is not an error.
  virtual Status Resume(pid_t tid, const Restart& r) = 0;

  // kill(2); ESRCH is false, other failures errors.
  virtual Result<bool> SendSignal(pid_t pid, int sig) = 0;
  // A pidfd for `pid` (-1 when it cannot be had), and signals through one:
  // a pidfd names one process, never a later one that reuses its pid.
  virtual int OpenPidfd(pid_t pid) = 0;
  virtual void ClosePidfd(int pidfd) = 0;
  virtual Result<bool> SignalPidfd(int pidfd, int sig) = 0;
  // No process, not even a zombie, has this pid any more.
  virtual bool Gone(pid_t pid) = 0;
  virtual pid_t PidfdTarget(pid_t holder, int fd) = 0;

  virtual std::optional<ProcStat> Stat(pid_t pid) = 0;
  virtual std::optional<ProcStatus> StatusOf(pid_t pid) = 0;
  // pid's SIG_IGN and handler masks (ProcStatus's sig_ignored and
  // sig_caught; its other fields unset), right for `sig`: for signals 1-31
  // from /proc/PID/stat kept open (StatFiles), for the others from status.
  virtual std::optional<ProcStatus> SignalMasks(pid_t pid, int sig) = 0;
  virtual std::vector<std::string> Cmdline(pid_t pid) = 0;
  virtual std::string Comm(pid_t pid) = 0;
  virtual long ClockTicksPerSecond() = 0;

  virtual std::string ReadMemory(pid_t tid, uint64_t addr, size_t len) = 0;
  virtual std::string ReadIovec(pid_t tid, uint64_t iov, int iovcnt, size_t max_bytes,
                                uint64_t* total) = 0;

  virtual std::optional<bool> SameOpenFile(pid_t tid, int fd, int own_fd) = 0;
  virtual std::optional<FileId> FdTarget(pid_t tid, int fd) = 0;
  virtual bool IsNonBlocking(int own_fd) = 0;
  virtual int64_t PipeRoom(int read_fd) = 0;
  // Tracer::UndoSyscallRestart: at a signal-delivery-stop of a handled signal.
  virtual bool UndoSyscallRestart(pid_t tid, long restart_code) = 0;
};

// The kernel: ptrace, /proc, process_vm_readv, kcmp.
class KernelTraceeOps : public TraceeOps {
 public:
  Status Resume(pid_t tid, const Restart& r) override;
  Result<bool> SendSignal(pid_t pid, int sig) override;
  int OpenPidfd(pid_t pid) override;
  void ClosePidfd(int pidfd) override;
  Result<bool> SignalPidfd(int pidfd, int sig) override;
  bool Gone(pid_t pid) override;
  pid_t PidfdTarget(pid_t holder, int fd) override;
  std::optional<ProcStat> Stat(pid_t pid) override;
  std::optional<ProcStatus> StatusOf(pid_t pid) override;
  std::optional<ProcStatus> SignalMasks(pid_t pid, int sig) override;
  std::vector<std::string> Cmdline(pid_t pid) override;
  std::string Comm(pid_t pid) override;
  long ClockTicksPerSecond() override;
  std::string ReadMemory(pid_t tid, uint64_t addr, size_t len) override;
  std::string ReadIovec(pid_t tid, uint64_t iov, int iovcnt, size_t max_bytes,
                        uint64_t* total) override;
  std::optional<bool> SameOpenFile(pid_t tid, int fd, int own_fd) override;
  std::optional<FileId> FdTarget(pid_t tid, int fd) override;
  bool IsNonBlocking(int own_fd) override;
  int64_t PipeRoom(int read_fd) override;
  bool UndoSyscallRestart(pid_t tid, long restart_code) override;

 private:
  StatFiles stat_files_;
};

}  // namespace proclab::os
