#include "runner/lab/supervisor.h"

#include <errno.h>
#include <fmt/format.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstring>
#include <utility>

#include "runner/base/units.h"

namespace proclab {

using os::Restart;
using os::StopKind;

Supervisor::Supervisor(Options options, os::TraceeOps& ops, Clock clock, Emit emit,
                       OutputCapture* output)
    : opt_(options), ops_(ops), clock_(std::move(clock)), emit_(std::move(emit)), output_(output) {}

void Supervisor::Record(Event e) {
  if (e.t_us == 0) e.t_us = clock_();
  emit_(std::move(e));
}

Supervisor::Proc* Supervisor::FindProc(pid_t pid) {
  auto it = procs_.find(pid);
  return it == procs_.end() ? nullptr : &it->second;
}

std::vector<pid_t> Supervisor::Running() const {
  std::vector<pid_t> out;
  for (const auto& [pid, p] : procs_)
    if (!p.exited) out.push_back(pid);
  return out;
}

std::vector<pid_t> Supervisor::Tids() const {
  std::vector<pid_t> out;
  for (const auto& [tid, t] : tasks_) out.push_back(tid);
  return out;
}

Supervisor::Task& Supervisor::NewTask(pid_t tid, pid_t tgid, bool seen_stop) {
  EraseTask(tid);
  Task& t = tasks_[tid];
  t.tid = tid;
  t.tgid = tgid;
  t.seen_stop = seen_stop;
  return t;
}

void Supervisor::AddMain(pid_t pid, const std::vector<std::string>& argv,
                         const std::string& actor) {
  main_pid_ = pid;
  NewTask(pid, pid, /*seen_stop=*/true);  // seized directly: no auto-attach stop
  Proc& p = procs_[pid];
  p.pid = pid;
  SetParent(p, opt_.lab_pid);
  std::string name = argv.empty() ? "" : argv[0];
  p.name = name.substr(name.rfind('/') + 1);
  Event e;
  e.type = EventType::kSpawn;
  e.pid = pid;
  e.ppid = opt_.lab_pid;
  e.argv = argv;
  e.name = p.name;
  Record(std::move(e));
  if (!actor.empty()) {
    procs_[pid].is_actor = true;
    NameActor(pid, actor);
  }
}

void Supervisor::NameActor(pid_t pid, const std::string& name) {
  Event e;
  e.type = EventType::kActor;
  e.pid = pid;
  e.name = name;
  Record(std::move(e));
}

Restart Supervisor::Handle(const os::TraceStop& stop) {
  const Restart r = FollowAliases(stop.tid, Dispatch(stop));
  if (opt_.debug) Log(stop, r);
  if (r.op != Restart::Op::kNone && r.op != Restart::Op::kHold) {
    // An error other than ESRCH means the tracee is in a state we did not
    // expect; say so rather than leave it stopped without a word.
    if (Status st = ops_.Resume(stop.tid, r); !st)
      fmt::print(stderr, "proclab: lab: {}\n", st.error().message);
  }
  return r;
}

Restart Supervisor::Dispatch(const os::TraceStop& stop) {
  if (stop.kind == StopKind::kExited || stop.kind == StopKind::kKilled) {
    OnFinal(stop);
    return Restart::None();
  }
  auto it = tasks_.find(stop.tid);
  if (it == tasks_.end()) return OnFirstStopOfUnknown(stop);
  Task& task = it->second;
  switch (stop.kind) {
    case StopKind::kForkEvent: return OnForkEvent(task, stop);
    case StopKind::kExecEvent: return OnExecEvent(task, stop);
    case StopKind::kEventStop: return OnEventStop(task, stop);
    case StopKind::kSeccompStop: return OnSeccomp(task, stop);
    case StopKind::kSyscallEntry: return OnSyscallEntry(task, stop);
    case StopKind::kSyscallExit: return OnSyscallExit(task, stop);
    case StopKind::kSignalDelivery: return OnSignalDelivery(task, stop);
    default: return Restart::Cont();
  }
}

// A new task is announced by whichever arrives first: its parent's fork event
// or its own first stop (the kernel does not order them).
void Supervisor::AnnounceChild(pid_t child, pid_t parent, bool thread, bool vfork) {
  Event e;
  e.type = EventType::kFork;
  e.pid = child;
  e.parent = parent;
  e.thread = thread;
  e.via = thread ? "clone" : vfork ? "vfork" : "fork";
  if (!thread) {
    Proc& p = procs_[child];
    p.pid = child;
    SetParent(p, parent);
    std::string actor;
    if (Proc* pp = FindProc(parent)) {
      p.name = pp->name;
      p.aliases = pp->aliases;  // a copy of its descriptors
      p.is_actor = pp->is_actor;
      actor = std::exchange(pp->next_child_name, {});
    }
    Record(std::move(e));
    // Named before it exists: no kill can beat the name to the timeline.
    if (!actor.empty()) NameActor(child, actor);
  } else {
    Record(std::move(e));
  }
  if (killing_ && !thread) {
    // Born during teardown: it goes too.
    KillNow(child);
    procs_[child].killed_by_lab = true;
    Event k;
    k.type = EventType::kKilledByLab;
    k.pid = child;
    k.detail = kill_reason_;
    Record(std::move(k));
  }
}

Restart Supervisor::OnFirstStopOfUnknown(const os::TraceStop& stop) {
  auto status = ops_.StatusOf(stop.tid);
  pid_t tgid = status ? status->tgid : stop.tid;
  pid_t ppid = status ? status->ppid : 0;
  bool thread = tgid != stop.tid;
  Task& task = NewTask(stop.tid, tgid, /*seen_stop=*/stop.kind == StopKind::kEventStop);
  pid_t parent = thread ? tgid : ppid;
  // The forker's fork event is still to come: its seccomp stop told us the
  // flags; release its slot against the cap now.
  bool vfork = false;
  for (pid_t tid : pending_tids_) {
    Task& t = tasks_.at(tid);
    if ((thread ? t.thread_pending : t.fork_pending) && t.tgid == (thread ? tgid : ppid)) {
      vfork = (t.clone_flags & CLONE_VFORK) != 0;
      SetPending(t, false, false);
      break;
    }
  }
  AnnounceChild(stop.tid, parent, thread, vfork);
  announced_early_.insert(stop.tid);  // its parent's fork event must not announce it again
  if (stop.kind == StopKind::kEventStop) {
    task.seen_stop = true;
    return RestartNewTask(task);
  }
  return Dispatch(stop);  // now known: handle it normally
}

// A new thread of a process in a group-stop joins the stop.
Restart Supervisor::RestartNewTask(Task& task) {
  Proc* proc = FindProc(task.tgid);
  if (proc && proc->stopped && task.tgid != task.tid) {
    task.group_stopped = true;
    return Restart::Listen();
  }
  return Restart::Cont();
}

Restart Supervisor::OnForkEvent(Task& task, const os::TraceStop& stop) {
  const pid_t child = static_cast<pid_t>(stop.msg);
  bool thread = false;
  pid_t parent = task.tgid;
  if (stop.fork_kind == os::ForkKind::kClone) {
    // A clone may be a thread or a process: the kernel knows which. (A stale
    // fork_pending from a fork that failed must not decide it.)
    auto st = ops_.StatusOf(child);
    thread = st ? st->tgid != child
                : (task.fork_pending ? (task.clone_flags & CLONE_THREAD) != 0 : true);
  }
  if (task.fork_pending && (task.clone_flags & CLONE_PARENT) && !thread) {
    if (Proc* self = FindProc(task.tgid)) parent = self->ppid;
  }
  SetPending(task, false, false);
  if (announced_early_.erase(child)) {
    // Its first stop came first and announced it (it may even be gone now).
  } else if (child > 0 && !tasks_.count(child)) {
    NewTask(child, thread ? task.tgid : child, /*seen_stop=*/false);
    AnnounceChild(child, parent, thread, stop.fork_kind == os::ForkKind::kVfork);
    // Killed before its first stop: its exit came before this event.
    if (auto early = early_exits_.find(child); early != early_exits_.end()) {
      os::TraceStop exit = early->second;
      early_exits_.erase(early);
      OnFinal(exit);
    }
  }
  return Restart::Cont();
}

Restart Supervisor::OnExecEvent(Task& task, const os::TraceStop& stop) {
  const pid_t pid = task.tgid;
  const pid_t former = static_cast<pid_t>(stop.msg);
  // exec from a non-leader thread: the kernel gave it the leader's tid, and the
  // old leader vanished without an exit notification.
  if (former != stop.tid && former > 0) EraseTask(former);
  // A new program: nothing of the old one's syscalls is pending (the leader's
  // entry may even be the old leader's, when a thread exec'd). `task` is
  // replaced here: not to be used below.
  NewTask(stop.tid, pid, /*seen_stop=*/true);
  output_->FlushProcess(pid, clock_());
  Event e;
  e.type = EventType::kExec;
  e.pid = pid;
  e.argv = ops_.Cmdline(pid);
  e.name = ops_.Comm(pid);
  if (Proc* p = FindProc(pid)) {
    p->name = e.name;
    p->is_actor = false;  // from here on it is someone else's program
    RecheckAliases(*p, stop.tid);
  }
  Record(std::move(e));
  return Restart::Cont();
}

void Supervisor::MarkStopped(Proc& proc, int sig) {
  if (proc.stopped) return;
  proc.stopped = true;
  Event e;
  e.type = EventType::kStop;
  e.pid = proc.pid;
  e.sig = sig;
  Record(std::move(e));
}

void Supervisor::MarkContinued(Proc& proc) {
  for (auto& [tid, t] : tasks_)
    if (t.tgid == proc.pid) t.group_stopped = false;
  if (!proc.stopped) return;
  proc.stopped = false;
  Event e;
  e.type = EventType::kContinue;
  e.pid = proc.pid;
  Record(std::move(e));
}

Restart Supervisor::OnEventStop(Task& task, const os::TraceStop& stop) {
  if (!task.seen_stop) {  // the auto-attach stop of a task announced by its parent
    task.seen_stop = true;
    return RestartNewTask(task);
  }
  Proc* proc = FindProc(task.tgid);
  if (stop.sig == SIGTRAP) {
    // A listened group-stop ended (SIGCONT), or a PTRACE_INTERRUPT we never send.
    if (proc) MarkContinued(*proc);
    task.group_stopped = false;
    return Restart::Cont();
  }
  // A group-stop: keep it real. PTRACE_LISTEN leaves the task stopped, as an
  // untraced one would be, until SIGCONT (or SIGKILL) arrives.
  task.group_stopped = true;
  if (proc) MarkStopped(*proc, stop.sig);
  return Restart::Listen();
}

void Supervisor::OnFinal(const os::TraceStop& stop) {
  auto it = tasks_.find(stop.tid);
  Task* task = it == tasks_.end() ? nullptr : &it->second;
  if (task && task->pending_send) FlushPendingSend(*task);
  if (task && task->pending_write) FlushPendingWrite(*task, std::nullopt);
  const bool had_task = task != nullptr;
  const bool leader = !task || task->tgid == stop.tid;
  if (stop.usage)
    if (Proc* owner = FindProc(task ? task->tgid : stop.tid))
      owner->usage.TaskEnded(stop.tid, *stop.usage, opt_.granted_cpus);
  EraseTask(stop.tid);
  task = nullptr;
  if (!leader) return;  // a thread ended; its process goes on

  Proc* proc = FindProc(stop.tid);
  if (!proc) {
    // Not announced yet (killed before its first stop): its parent's fork
    // event will announce it, and then this exit.
    if (!had_task) early_exits_[stop.tid] = stop;
    return;
  }
  if (!proc->exited) {
    OnProcessExit(*proc, stop);
  }
  // Who took the status? If the lab is (now) the real parent, our wait reaped it.
  proc = FindProc(stop.tid);
  if (!proc) return;
  const pid_t ppid = stop.ppid.value_or(proc->ppid);
  if (ppid != proc->ppid && ppid > 0) {
    Event e;
    e.type = EventType::kReparent;
    e.pid = proc->pid;
    e.from = Party::Process(proc->ppid);
    e.new_parent = ppid;
    SetParent(*proc, ppid);
    Record(std::move(e));
  }
  if (ppid == opt_.lab_pid) {
    Reap(stop.tid, Party::Process(opt_.lab_pid));
  } else if (ops_.Gone(stop.tid)) {
    // Gone the moment we let go of it: either its parent was already in a
    // wait (trapped, so we know) or the kernel released it at once because
    // the parent ignores SIGCHLD or set SA_NOCLDWAIT.
    // A third way: the parent died between our read of its pid and our
    // wait, so the lab had already adopted the zombie and our wait was the
    // adopter's (ASan CI saw it). A parent that ignores SIGCHLD says so in
    // /proc while it lingers as a zombie.
    if (InWait(ppid)) {
      unclaimed_.insert(proc->pid);
    } else if (ParentDied(ppid) && !IgnoresChildren(ppid)) {
      Event e;
      e.type = EventType::kReparent;
      e.pid = proc->pid;
      e.from = Party::Process(ppid);
      e.new_parent = opt_.lab_pid;
      SetParent(*proc, opt_.lab_pid);
      Record(std::move(e));
      Reap(stop.tid, Party::Process(opt_.lab_pid));
    } else {
      Reap(stop.tid, Party::Kernel());
    }
  }
}

bool Supervisor::ParentDied(pid_t parent) {
  if (const Proc* p = FindProc(parent); p && p->exited) return true;
  auto st = ops_.Stat(parent);
  return !st || st->state == 'Z' || st->state == 'X';
}

bool Supervisor::IgnoresChildren(pid_t parent) {
  auto status = ops_.StatusOf(parent);
  return status && (status->sig_ignored & (uint64_t{1} << (SIGCHLD - 1)));
}

void Supervisor::OnProcessExit(Proc& proc, const os::TraceStop& stop) {
  const int64_t now = clock_();
  output_->FlushProcess(proc.pid, now);
  if (stop.kind == StopKind::kKilled && stop.sig == SIGKILL) {
    // SIGKILL has no delivery stop: name its sender from what we saw sent,
    // and put that send on the timeline first.
    for (pid_t tid : std::vector<pid_t>(sending_.begin(), sending_.end()))
      if (Task& t = tasks_.at(tid); t.pending_send->sig == SIGKILL) FlushPendingSend(t);
    Event d;
    d.t_us = now;
    d.type = EventType::kSignalDelivered;
    d.sig = SIGKILL;
    d.pid = proc.pid;
    d.from = proc.killed_by_lab ? Party::Lab() : KillerOf(proc.pid);
    d.outcome = Outcome::kKilled;
    Record(std::move(d));
  }
  NameTheLimit(proc, stop, now);
  zombies_ += !proc.exited;
  proc.exited = true;
  proc.stopped = false;
  Event e;
  e.t_us = now;
  e.type = EventType::kExit;
  e.pid = proc.pid;
  if (stop.kind == StopKind::kKilled) {
    e.signaled = true;
    e.sig = stop.sig;
    e.core = stop.core;
  } else {
    e.code = stop.code;
  }
  if (stop.usage) {
    // Children its last wait took as it died are in its figures too (see
    // NoteReparents, which records their reap after this exit).
    for (pid_t pid : ChildrenOf(proc.pid))
      if (const Proc& p = procs_.at(pid); unclaimed_.count(pid) || (p.exited && ops_.Gone(pid)))
        proc.usage.Reaped(p.usage);
    proc.usage.Ended(*stop.usage);
    if (auto own = proc.usage.Own()) {
      cpu_total_us_ = std::max<int64_t>(cpu_total_us_, 0) + own->cpu_us();
      e.usage = std::make_shared<const Usage>(std::move(*own));
    }
  }
  const pid_t pid = proc.pid;
  Record(std::move(e));
  if (pid == main_pid_) main_exited_ = true;
  NoteReparents(pid);
}

// A death that a limit caused says so, as a `limit` event just before the
// exit: "used its 1s CPU limit (SIGXCPU)", not "killed by SIGXCPU".
void Supervisor::NameTheLimit(const Proc& proc, const os::TraceStop& stop, int64_t now) {
  if (stop.kind != StopKind::kKilled) return;
  std::string kind, detail;
  const bool by_kernel =
      !proc.killed_by_lab && stop.sig == SIGKILL && KillerOf(proc.pid).kind == Party::kKernel;
  if (stop.sig == SIGXCPU && opt_.cpu_limit_us > 0) {
    kind = "cpu";
    detail = fmt::format("used its {} CPU limit (SIGXCPU)", FormatDuration(opt_.cpu_limit_us));
  } else if (by_kernel && opt_.cpu_limit_us > 0 && stop.cpu_us >= opt_.cpu_limit_us) {
    kind = "cpu";
    detail = fmt::format("used its {} CPU limit and went on: SIGKILL a second later",
                         FormatDuration(opt_.cpu_limit_us));
  } else if (stop.sig == SIGXFSZ && opt_.file_size_limit > 0) {
    kind = "file_size";
    detail = fmt::format("wrote past its {} file size limit (SIGXFSZ)",
                         FormatSize(opt_.file_size_limit));
  } else if (by_kernel && opt_.oom_killed && opt_.oom_killed()) {
    kind = "memory_total";
    detail = opt_.memory_total > 0
                 ? fmt::format("the run reached its {} memory limit: the OOM killer ended it",
                               FormatSize(opt_.memory_total))
                 : "the OOM killer ended it";
  }
  if (kind.empty()) return;
  Event e;
  e.t_us = now;
  e.type = EventType::kLimit;
  e.kind = kind;
  e.pid = proc.pid;
  e.detail = detail;
  Record(std::move(e));
}

// The dead process's children now belong to the nearest subreaper — the lab,
// or a process that asked to be one. /proc says which.
void Supervisor::NoteReparents(pid_t dead_parent) {
  std::vector<pid_t> taken;
  for (pid_t pid : ChildrenOf(dead_parent)) {
    Proc& p = procs_.at(pid);
    // An exited child that is gone, and not handed on, was taken by the
    // parent's last wait: the kernel reaped it inside the call, and the
    // parent died (SIGKILL, another thread's exit_group) before the call
    // returned, so no syscall-exit stop will say so. (A parent that ignores
    // SIGCHLD has its children reaped at their exit, seen there.)
    if (unclaimed_.count(pid) || (p.exited && ops_.Gone(pid))) {
      taken.push_back(pid);
      continue;
    }
    auto st = ops_.Stat(pid);
    if (!st || st->ppid == dead_parent) continue;
    Event e;
    e.type = EventType::kReparent;
    e.pid = pid;
    e.from = Party::Process(dead_parent);
    e.new_parent = st->ppid;
    SetParent(p, st->ppid);
    Record(std::move(e));
  }
  for (pid_t pid : taken) Reap(pid, Party::Process(dead_parent));
}

void Supervisor::SweepGone() {
  std::vector<std::pair<pid_t, pid_t>> adopted;  // (pid, parent it had)
  for (const auto& [pid, p] : procs_)
    if (p.exited && ops_.Gone(pid)) adopted.emplace_back(pid, p.ppid);
  for (auto [pid, parent] : adopted) {
    if (parent != opt_.lab_pid) {
      Event e;
      e.type = EventType::kReparent;
      e.pid = pid;
      e.from = Party::Process(parent);
      e.new_parent = opt_.lab_pid;
      Record(std::move(e));
    }
    Reap(pid, Party::Process(opt_.lab_pid));
  }
}

void Supervisor::Reap(pid_t pid, Party by) {
  // The kernel adds what a child used to its reaper's figures; the reaper's
  // own figures are what is left once its children's are taken out. A
  // reaper that has exited already took them out (OnProcessExit).
  if (by.kind == Party::kProcess) {
    Proc* child = FindProc(pid);
    Proc* reaper = FindProc(by.pid);
    if (child && reaper && !reaper->exited) reaper->usage.Reaped(child->usage);
  }
  Event e;
  e.type = EventType::kReap;
  e.pid = pid;
  e.by = by;
  Record(std::move(e));
  if (Proc* p = FindProc(pid); p && p->pidfd >= 0) ops_.ClosePidfd(p->pidfd);
  EraseProc(pid);
}

Supervisor::~Supervisor() {
  for (auto& [pid, p] : procs_)
    if (p.pidfd >= 0) ops_.ClosePidfd(p.pidfd);
}

Result<bool> Supervisor::Signal(pid_t pid, int sig) {
  Proc* p = FindProc(pid);
  if (!p) return false;  // reaped: the pid may be someone else's by now
  // Opened when first needed, which is as safe as at its birth: until the
  // lab has taken its exit, a traced process cannot be reaped (its tracer
  // sees the exit first), so its pid is still its own. (One pidfd_open and
  // close fewer for each process the lab never signals: a fork storm's.)
  if (p->pidfd < 0 && !p->exited) p->pidfd = ops_.OpenPidfd(pid);
  if (p->pidfd >= 0) return ops_.SignalPidfd(p->pidfd, sig);
  if (p->exited) return !ops_.Gone(pid);  // a zombie: nothing to deliver
  return ops_.SendSignal(pid, sig);       // no pidfds here (a kernel before 5.3)
}

void Supervisor::FinishCheckpoint(pid_t tid) {
  const Restart r = FollowAliases(tid, Restart::Skip(0));
  if (opt_.debug)
    fmt::print(stderr, "proclab-debug tid {} checkpoint taken → {}\n", tid, r.Describe());
  if (Status st = ops_.Resume(tid, r); !st)
    fmt::print(stderr, "proclab: lab: {}\n", st.error().message);
}

void Supervisor::KillNow(pid_t pid) {
  // ESRCH (gone meanwhile) is fine; anything else is the lab's failure to say.
  if (auto sent = Signal(pid, SIGKILL); !sent)
    fmt::print(stderr, "proclab: lab: {}\n", sent.error().message);
}

void Supervisor::KillAll(const std::string& reason) {
  killing_ = true;
  if (kill_reason_.empty()) kill_reason_ = reason;
  const int64_t now = clock_();
  for (auto& [pid, p] : procs_) {
    if (p.exited || p.killed_by_lab) continue;
    p.killed_by_lab = true;
    KillNow(pid);
    Event e;
    e.t_us = now;
    e.type = EventType::kKilledByLab;
    e.pid = pid;
    e.detail = reason;
    Record(std::move(e));
  }
}

}  // namespace proclab
