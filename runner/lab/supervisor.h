// The supervisor: acts on each classified trace stop — records what it means
// as timeline events and restarts the tracee the one right way. It owns the
// lab's model of tasks (threads) and processes, and the containment policy:
// the live-process cap, no untraced clones, and (without a PID namespace) no
// signals to anything outside the lab.
//
// As strace's dispatch_event: each handler returns the Restart its stop
// needs, and Handle() issues it, once, through TraceeOps. Events go out
// through Emit as they are recognised. The kernel sits behind TraceeOps, so
// tests drive the supervisor with scripted stops (supervisor_test.cc).
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runner/lab/output_capture.h"
#include "runner/lab/process_usage.h"
#include "runner/os/procfs.h"
#include "runner/os/trace_stop.h"
#include "runner/os/tracee_ops.h"
#include "runner/timeline/event.h"

namespace proclab {

// What the lab answers to actors' hypercalls (os/hypercall.h).
class HypercallHandler {
 public:
  virtual ~HypercallHandler() = default;
  // The newest pid called `name`, or -ESRCH.
  virtual long Resolve(const std::string& name) = 0;
  // `tid` stays stopped in its hypercall until Supervisor::FinishCheckpoint.
  virtual void Checkpoint(pid_t tid, const std::string& name) = 0;
  // A value process `pid` measured (lab.measure): 0, or -EINVAL when `text`
  // is not "NAME NUMBER" (runner/lab/measure_call.h).
  virtual long Measure(pid_t pid, const std::string& text) = 0;
};

class Supervisor {
 public:
  struct Options {
    pid_t lab_pid = 0;  // the lab as tracees see it (1 in a PID namespace)
    bool pid_namespace = false;
    int max_processes = 256;
    int max_tasks = 0;  // threads and processes together; 0: no cap
    // The per-process limits the programs run under, to name them when a
    // process dies of one (0: none).
    int64_t cpu_limit_us = 0;
    int64_t file_size_limit = 0;
    int64_t memory_total = 0;
    // Whether the run's cgroup saw an OOM kill since it was last asked.
    std::function<bool()> oom_killed;
    // Where fds 1 and 2 must point for a write to count as the program's output.
    std::optional<os::FileId> stdout_target;
    std::optional<os::FileId> stderr_target;
    std::optional<os::FileId> tty_target;  // with a pty both point here; the fd tells the stream
    // The lab's own descriptors of those open files (-1: none): a program's
    // fd that is the same description shares its O_NONBLOCK flag, and the
    // read ends tell how full the pipes are.
    int stdout_w = -1, stdout_r = -1, stderr_w = -1, stderr_r = -1, tty_fd = -1;
    // Log every stop and restart on stderr (PROCLAB_DEBUG=1), to diagnose a
    // tracee that hangs.
    bool debug = false;
    // The CPUs the run was pinned to, sorted (empty: not pinned): a task
    // that ends able to run elsewhere widened its own affinity.
    std::vector<int> granted_cpus;
  };
  using Emit = std::function<void(Event)>;
  using Clock = std::function<int64_t()>;  // microseconds since the lab started

  Supervisor(Options options, os::TraceeOps& ops, Clock clock, Emit emit, OutputCapture* output);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Sends `sig` to the process `pid`, through its pidfd: false (ESRCH) when
  // no process of the lab has that pid any more, whoever may hold it now.
  Result<bool> Signal(pid_t pid, int sig);

  // The program's first process, seized before exec. With `actor`, it runs
  // that built-in or Lua actor instead of exec'ing, and may make hypercalls.
  void AddMain(pid_t pid, const std::vector<std::string>& argv, const std::string& actor = {});
  void SetHypercallHandler(HypercallHandler* h) { hypercalls_ = h; }
  // Lets a checkpoint's caller go on.
  void FinishCheckpoint(pid_t tid);
  // The state of every process not yet reaped, as the program would see it:
  // tasks the lab holds in a ptrace-stop count as running.
  std::vector<ProcessSnapshot> Snapshot();
  // Processes with a task that is running, in uninterruptible I/O, or held
  // by the lab at a stop: not at rest (supervisor_state.cc).
  std::vector<pid_t> Busy();
  // Acts on one stop and issues its one restart, which it returns.
  os::Restart Handle(const os::TraceStop& stop);

  // SIGKILLs every process that has not exited and records why. New tasks
  // that appear afterwards are killed on sight.
  void KillAll(const std::string& reason);

  [[nodiscard]] bool main_exited() const { return main_exited_; }
  [[nodiscard]] bool killing() const { return killing_; }
  // Creations refused with EAGAIN: forks (new processes, at either cap) and
  // thread creations (at the task cap), counted apart.
  [[nodiscard]] int forks_refused() const { return forks_refused_; }
  [[nodiscard]] int threads_refused() const { return threads_refused_; }
  // "processes" or "tasks": the cap the last refused creation hit.
  [[nodiscard]] const std::string& last_refused() const { return last_refused_; }
  // The CPU of every process that has exited, its own figures summed (-1:
  // none had figures).
  [[nodiscard]] int64_t cpu_total_us() const { return cpu_total_us_; }
  // Creations keep hitting a cap: more refusals than a program that handles
  // EAGAIN would cause. The lab then stops the run.
  [[nodiscard]] bool fork_bomb() const {
    return forks_refused_ + threads_refused_ > std::max(1000, 10 * opt_.max_processes);
  }
  // Processes that have not exited yet.
  [[nodiscard]] std::vector<pid_t> Running() const;
  // Every task the lab traces now, threads included.
  [[nodiscard]] std::vector<pid_t> Tids() const;
  [[nodiscard]] size_t task_count() const { return tasks_.size(); }
  // At the run's end: an exited process that is gone without a recorded reap
  // had lost its parent, passed to the lab, and was released by the lab's own
  // wait with no stop of ours (its exit was already reported to us as its
  // tracer). Records that adoption and the lab's reap.
  void SweepGone();

 private:
  enum class Await { kNone, kWait, kKill, kWrite, kDup };
  // Output read at a write's entry, recorded at its exit with what the kernel
  // says was written: a non-blocking write that fails with EAGAIN, or writes
  // part, and is retried must not count twice.
  struct PendingWrite {
    Stream stream = Stream::kStdout;
    std::string data;  // what was read (at most the output budget)
  };
  struct Task {
    pid_t tid = 0;
    pid_t tgid = 0;
    bool seen_stop = false;      // the auto-attach stop of a new task has been consumed
    bool group_stopped = false;  // in a group-stop kept real with PTRACE_LISTEN
    // Set only through SetAwait and SetPending, which keep the indexes below.
    Await await = Await::kNone;   // which syscall-exit-stop we asked for
    bool fork_pending = false;    // counted against the caps until its fork event
    bool thread_pending = false;  // the same, for a new thread
    uint64_t clone_flags = 0;
    uint64_t waitid_info = 0;  // waitid's siginfo_t* (0 for wait4)
    bool waitid_nowait = false;
    std::optional<Event> pending_send;  // kill-family call awaiting its result
    std::optional<PendingWrite> pending_write;
    std::optional<Stream> dup_of;  // a dup awaiting its result copies this output stream
    long restart_code = 0;         // the last syscall exit's -ERESTART… code (0: none seen)
  };
  struct Proc {
    pid_t pid = 0;
    pid_t ppid = 0;
    std::string name;
    bool exited = false;
    bool stopped = false;
    bool killed_by_lab = false;
    bool is_actor = false;        // runs lab code (may make hypercalls) until it execs
    std::string next_child_name;  // the actor its next child will run
    int pidfd = -1;  // names this process until it is reaped, once the lab signals it (Signal)
    // Descriptors other than 1 and 2 made from them by dup, dup2, dup3 or
    // fcntl(F_DUPFD), and the stream each writes to. While there are any,
    // every task of the process stops at each syscall (lab.md).
    std::map<int, Stream> aliases;
    bool wrote_past_file_size = false;  // its first SIGXFSZ that did not kill it is recorded
    ProcessUsage usage;                 // its tasks' exits, and its reaped children's
  };
  struct KillRecord {  // SIGKILLs, to name the sender of a death no stop reported
    Party from;
    std::vector<pid_t> targets;
    bool all = false;
  };

  // supervisor.cc: dispatch, tasks and processes coming and going
  os::Restart Dispatch(const os::TraceStop& stop);
  Task& NewTask(pid_t tid, pid_t tgid, bool seen_stop);
  void AnnounceChild(pid_t child, pid_t parent, bool thread, bool vfork);
  os::Restart OnFirstStopOfUnknown(const os::TraceStop& stop);
  os::Restart RestartNewTask(Task& task);
  os::Restart OnForkEvent(Task& task, const os::TraceStop& stop);
  os::Restart OnExecEvent(Task& task, const os::TraceStop& stop);
  os::Restart OnEventStop(Task& task, const os::TraceStop& stop);
  void OnFinal(const os::TraceStop& stop);
  void OnProcessExit(Proc& proc, const os::TraceStop& stop);
  void NameTheLimit(const Proc& proc, const os::TraceStop& stop, int64_t now);
  void NoteReparents(pid_t dead_parent);
  void Reap(pid_t pid, Party by);
  [[nodiscard]] bool InWait(pid_t process) const;
  // Whether `parent` has exited (seen, a zombie, or gone), and whether it
  // ignores SIGCHLD, for telling who took a child's status (OnFinal).
  [[nodiscard]] bool ParentDied(pid_t parent);
  [[nodiscard]] bool IgnoresChildren(pid_t parent);
  void NameActor(pid_t pid, const std::string& name);
  void MarkStopped(Proc& proc, int sig);
  void MarkContinued(Proc& proc);
  void Record(Event e);
  Proc* FindProc(pid_t pid);
  [[nodiscard]] int TasksInUse() const;
  // supervisor_index.cc: the indexes that keep each stop's cost independent
  // of how many processes are alive.
  void SetPending(Task& task, bool fork, bool thread);
  void SetAwait(Task& task, Await await);
  void SetPendingSend(Task& task, std::optional<Event> send);
  void SetParent(Proc& proc, pid_t ppid);
  void EraseTask(pid_t tid);
  void EraseProc(pid_t pid);
  void DropChild(pid_t ppid, pid_t pid);  // from children_
  // `ppid`'s processes not yet reaped, by pid (a copy: callers reap them).
  [[nodiscard]] std::vector<pid_t> ChildrenOf(pid_t ppid) const;
  os::Restart Refuse(Task& task, const std::string& kind, bool thread, const std::string& detail);
  void KillNow(pid_t pid);

  // supervisor_log.cc: PROCLAB_DEBUG's line for each stop
  void Log(const os::TraceStop& stop, const os::Restart& r) const;

  // supervisor_syscalls.cc: the syscalls the seccomp filter stops
  os::Restart OnSeccomp(Task& task, const os::TraceStop& stop);
  os::Restart OnForkSyscall(Task& task, const os::SyscallInfo& sc);
  // Where a write to fd 1 or 2 goes, if it is the program's output.
  struct OutputTarget {
    Stream stream = Stream::kStdout;
    bool may_fall_short = true;  // non-blocking, a pty, or flags unknown
    int pipe_read_fd = -1;       // the capture pipe's read end, when known
  };
  // `tty_stream`: on a terminal, both streams are one file: the stream fd
  // stands for (2 stderr, 1 stdout, an alias the stream it was made from).
  std::optional<OutputTarget> ClassifyWrite(pid_t tid, int fd, Stream tty_stream);
  // True when the write must be followed to its exit for its result.
  bool OnWriteSyscall(Task& task, const os::SyscallInfo& sc);
  bool TakeWrite(Task& task, const os::SyscallInfo& sc, const OutputTarget& target);
  void OnWriteExit(Task& task, const os::TraceStop& stop);
  void FlushPendingWrite(Task& task, std::optional<uint64_t> written);
  os::Restart OnSyscallExit(Task& task, const os::TraceStop& stop);
  void OnWaitExit(Task& task, const os::TraceStop& stop);
  os::Restart OnHypercall(Task& task, const os::SyscallInfo& sc);
  os::Restart OnSetOwner(Task& task, const os::SyscallInfo& sc);

  // supervisor_aliases.cc: writes through other descriptors for fds 1 and 2
  os::Restart OnDupSyscall(Task& task, const os::SyscallInfo& sc);
  void OnDupExit(Task& task, const os::TraceStop& stop);
  os::Restart OnSyscallEntry(Task& task, const os::TraceStop& stop);
  void RecheckAliases(Proc& proc, pid_t tid);
  // `r`, but PTRACE_SYSCALL rather than PTRACE_CONT while tid's process holds aliases.
  os::Restart FollowAliases(pid_t tid, os::Restart r);

  // supervisor_signals.cc: who sent what to whom, and what it did
  os::Restart OnKillSyscall(Task& task, const os::SyscallInfo& sc);
  // The restart for a send that must not proceed as it is (outside the lab),
  // or nullopt when it may.
  std::optional<os::Restart> Contain(Task& task, const Event& send);
  os::Restart EmulateKillAll(Task& task, int sig);
  void OnKillExit(Task& task, const os::TraceStop& stop);
  void FlushPendingSend(Task& task);
  os::Restart OnSignalDelivery(Task& task, const os::TraceStop& stop);
  Party SenderOf(const siginfo_t& info, pid_t receiver);
  Outcome OutcomeOf(pid_t tid, int sig);
  bool GroupOrphaned(pid_t pgid);
  void RememberKill(const Event& send);
  Party KillerOf(pid_t pid);
  std::vector<pid_t> GroupMembers(pid_t pgid);

  Options opt_;
  os::TraceeOps& ops_;
  Clock clock_;
  Emit emit_;
  OutputCapture* output_;
  std::map<pid_t, Task> tasks_;
  std::map<pid_t, Proc> procs_;  // every process not yet reaped
  pid_t main_pid_ = 0;
  bool main_exited_ = false;
  bool killing_ = false;
  std::string kill_reason_;
  int forks_refused_ = 0;
  int threads_refused_ = 0;
  std::string last_refused_;               // the cap the last refusal hit: "processes" or "tasks"
  std::set<std::string> reported_limits_;  // one limit event per kind
  std::vector<KillRecord> kills_;
  std::map<std::pair<pid_t, int>, pid_t> emulated_;  // (receiver, sig) -> kill(-1) sender
  HypercallHandler* hypercalls_ = nullptr;
  std::set<pid_t> announced_early_;             // announced by their own first stop
  std::map<pid_t, os::TraceStop> early_exits_;  // exits of tasks not yet announced
  // Indexes over tasks_ and procs_ (supervisor_index.cc): with 10,000
  // processes alive, a scan of either at each stop made the run quadratic.
  int pending_forks_ = 0;         // tasks with fork_pending
  int pending_threads_ = 0;       // tasks with thread_pending
  int zombies_ = 0;               // procs_ that have exited
  std::set<pid_t> pending_tids_;  // tasks with either pending flag
  std::multiset<pid_t> waiting_;  // the tgid of each task with await kWait
  std::set<pid_t> sending_;       // tasks with a pending_send
  // procs_ gone right after exiting while their parent sat in wait(): the
  // wait's syscall exit says whether it took them or the kernel auto-reaped.
  std::set<pid_t> unclaimed_;
  std::map<pid_t, std::set<pid_t>> children_;  // ppid -> its processes in procs_
  int64_t cpu_total_us_ = -1;
};

}  // namespace proclab
