// Signals: who sent what to whom (at the kill-family seccomp stop, with the
// result from the syscall exit), and what each delivery did (at the
// signal-delivery-stop, from the receiver's disposition at that moment).
#include <errno.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include <algorithm>

#include "runner/base/signal_names.h"
#include "runner/base/units.h"
#include "runner/lab/signal_outcome.h"
#include "runner/lab/supervisor.h"
#include "runner/os/sys_error.h"

namespace proclab {

using os::Restart;

Restart Supervisor::OnKillSyscall(Task& task, const os::SyscallInfo& sc) {
  Event send;
  send.type = EventType::kSignalSent;
  send.from = Party::Process(task.tgid);
  pid_t raw = 0;
  auto tgid_of = [&](pid_t tid) {
    auto it = tasks_.find(tid);
    if (it != tasks_.end()) return it->second.tgid;
    auto st = ops_.StatusOf(tid);
    return st ? st->tgid : tid;
  };
  switch (sc.nr) {
    case SYS_kill:
      raw = static_cast<pid_t>(sc.args[0]);
      send.sig = static_cast<int>(sc.args[1]);
      send.via = "kill";
      if (raw > 0) {
        send.to = raw;
      } else if (raw == 0) {
        auto st = ops_.Stat(task.tid);
        send.to_group = st ? st->pgid : 0;
      } else if (raw == -1) {
        send.to_all = true;
      } else {
        send.to_group = -raw;
      }
      break;
    case SYS_tkill:
      raw = static_cast<pid_t>(sc.args[0]);
      send.sig = static_cast<int>(sc.args[1]);
      send.to = tgid_of(raw);
      send.via = "tkill";
      break;
    case SYS_tgkill:
      raw = static_cast<pid_t>(sc.args[0]);
      send.sig = static_cast<int>(sc.args[2]);
      send.to = raw;
      send.via = "tgkill";
      break;
    case SYS_rt_sigqueueinfo:
      raw = static_cast<pid_t>(sc.args[0]);
      send.sig = static_cast<int>(sc.args[1]);
      send.to = raw;
      send.via = "sigqueue";
      break;
    case SYS_rt_tgsigqueueinfo:
      raw = static_cast<pid_t>(sc.args[0]);
      send.sig = static_cast<int>(sc.args[2]);
      send.to = raw;
      send.via = "sigqueue";
      break;
    case SYS_pidfd_send_signal:
      raw = ops_.PidfdTarget(task.tgid, static_cast<int>(sc.args[0]));
      send.sig = static_cast<int>(sc.args[1]);
      send.to = raw;
      send.via = "pidfd_send_signal";
      break;
  }
  if (send.sig == 0) return Restart::Cont();  // an existence probe, not a signal
  if (!opt_.pid_namespace)
    if (auto refused = Contain(task, send)) return *refused;
  send.t_us = clock_();
  RememberKill(send);
  SetPendingSend(task, std::move(send));
  SetAwait(task, Await::kKill);
  return Restart::ToSyscallExit();
}

// Without a PID namespace the kernel would let a tracee signal anything its
// uid may: the lab, the runner, other labs. Refuse what is outside the lab
// (EPERM, as a sandbox would), and carry out kill(-1) on the lab's own
// processes only.
std::optional<Restart> Supervisor::Contain(Task& task, const Event& send) {
  if (send.to_all) return EmulateKillAll(task, send.sig);
  bool inside = false;
  if (send.via == "pidfd_send_signal") {
    // Which process a descriptor means can change between our look and the
    // call (another thread may dup2 over it): refused without a namespace.
    inside = false;
  } else if (send.to_group) {
    const pid_t lab_group = ops_.Stat(opt_.lab_pid) ? ops_.Stat(opt_.lab_pid)->pgid : 0;
    inside = send.to_group != lab_group && !GroupMembers(send.to_group).empty();
  } else {
    inside = send.to > 0 && (FindProc(send.to) != nullptr || tasks_.count(send.to) > 0);
  }
  if (inside) return std::nullopt;
  Event refused = send;
  refused.t_us = clock_();
  refused.error = "EPERM";
  Record(std::move(refused));
  return Restart::Fail(EPERM);
}

Restart Supervisor::EmulateKillAll(Task& task, int sig) {
  Event send;
  send.t_us = clock_();
  send.type = EventType::kSignalSent;
  send.from = Party::Process(task.tgid);
  send.to_all = true;
  send.sig = sig;
  send.via = "kill";
  int hit = 0;
  KillRecord record{send.from, {}, false};
  for (auto& [pid, p] : procs_) {
    if (pid == task.tgid || p.exited) continue;
    if (auto sent = Signal(pid, sig); sent.ok() && *sent) {
      ++hit;
      emulated_[{pid, sig}] = task.tgid;
      record.targets.push_back(pid);
    }
  }
  if (sig == SIGKILL) kills_.push_back(std::move(record));
  if (hit == 0) send.error = "ESRCH";
  Record(std::move(send));
  return hit ? Restart::Skip(0) : Restart::Fail(ESRCH);
}

void Supervisor::OnKillExit(Task& task, const os::TraceStop& stop) {
  if (!task.pending_send) return;
  if (stop.syscall.valid && stop.syscall.is_error)
    task.pending_send->error = os::ErrnoName(static_cast<int>(-stop.syscall.rval));
  FlushPendingSend(task);
}

void Supervisor::FlushPendingSend(Task& task) {
  if (!task.pending_send) return;
  Event e = std::move(*task.pending_send);
  SetPendingSend(task, std::nullopt);
  Record(std::move(e));
}

void Supervisor::RememberKill(const Event& send) {
  if (send.sig != SIGKILL) return;
  KillRecord record{send.from, {}, send.to_all};
  if (send.to_group)
    record.targets = GroupMembers(send.to_group);
  else if (send.to)
    record.targets.push_back(send.to);
  kills_.push_back(std::move(record));
}

Party Supervisor::KillerOf(pid_t pid) {
  for (auto it = kills_.rbegin(); it != kills_.rend(); ++it) {
    if (it->all && !it->from.IsProcess(pid)) return it->from;
    if (std::find(it->targets.begin(), it->targets.end(), pid) != it->targets.end())
      return it->from;
  }
  return Party::Kernel();  // the OOM killer, or a sender outside the lab
}

std::vector<pid_t> Supervisor::GroupMembers(pid_t pgid) {
  std::vector<pid_t> out;
  for (const auto& [pid, p] : procs_) {
    auto st = ops_.Stat(pid);
    if (st && st->pgid == pgid) out.push_back(pid);
  }
  return out;
}

Party Supervisor::SenderOf(const siginfo_t& info, pid_t receiver) {
  const int code = info.si_code;
  if (code == SI_USER || code == SI_TKILL || code == SI_QUEUE) {
    const pid_t pid = info.si_pid;
    if (pid == 0) return opt_.pid_namespace ? Party::Lab() : Party{};  // outside our namespace
    if (pid == opt_.lab_pid) {
      auto it = emulated_.find({receiver, info.si_signo});
      if (it == emulated_.end()) return Party::Lab();
      pid_t sender = it->second;
      emulated_.erase(it);
      return Party::Process(sender);
    }
    return Party::Process(pid);
  }
  if (code == SI_KERNEL && opt_.tty_target) {
    switch (info.si_signo) {
      case SIGINT:
      case SIGQUIT:
      case SIGTSTP:
      case SIGTTIN:
      case SIGTTOU:
      case SIGWINCH:
      case SIGHUP: return Party::Tty();  // the line discipline, on a key or a hangup
      default: break;
    }
  }
  return Party::Kernel();  // SIGCHLD, SIGALRM, SIGSEGV, SIGPIPE from a fault…
}

bool Supervisor::GroupOrphaned(pid_t pgid) {
  // POSIX: a group is orphaned when no member has a parent in the same
  // session but another group.
  for (pid_t member : GroupMembers(pgid)) {
    auto me = ops_.Stat(member);
    if (!me) continue;
    auto parent = ops_.Stat(me->ppid);
    if (parent && parent->pgid != pgid && parent->sid == me->sid) return false;
  }
  return true;
}

Outcome Supervisor::OutcomeOf(pid_t tid, int sig) {
  auto status = ops_.SignalMasks(tid, sig);
  Disposition d =
      status ? Disposition::FromMasks(sig, status->sig_caught, status->sig_ignored) : Disposition{};
  bool orphaned = false;
  if (sig != SIGSTOP && SignalDefaultStops(sig) && !d.caught && !d.ignored) {
    auto st = ops_.Stat(tid);
    orphaned = st && GroupOrphaned(st->pgid);
  }
  return DeliveryOutcome(sig, d, orphaned);
}

Restart Supervisor::OnSignalDelivery(Task& task, const os::TraceStop& stop) {
  const int sig = stop.sig;
  Party from = SenderOf(stop.info, task.tgid);
  // Its sender's kill() must be on the timeline before the delivery.
  bool by_call = false;  // a kill-family call of the sender's is on record for it
  if (from.kind == Party::kProcess) {
    for (pid_t tid : std::vector<pid_t>(sending_.begin(), sending_.end()))
      if (Task& t = tasks_.at(tid); t.tgid == from.pid && t.pending_send->sig == sig) {
        FlushPendingSend(t);
        by_call = true;
      }
  }
  Event e;
  e.type = EventType::kSignalDelivered;
  e.sig = sig;
  e.pid = task.tgid;
  e.from = from;
  e.outcome = OutcomeOf(stop.tid, sig);
  Proc* proc = FindProc(task.tgid);
  const Outcome outcome = e.outcome;
  // A handler is about to run: a call the kernel already chose to restart
  // (after an ignored signal the tracer was shown) ends as it would have
  // untraced. See Tracer::UndoSyscallRestart.
  if (outcome == Outcome::kHandled) {
    ops_.UndoSyscallRestart(stop.tid, task.restart_code);
    task.restart_code = 0;
  }
  Record(std::move(e));
  if (sig == SIGCONT && proc) MarkContinued(*proc);
  // The kernel sends SIGXFSZ with every write past RLIMIT_FSIZE, and fails
  // the write with EFBIG. Ignored or handled, it kills nothing, so
  // NameTheLimit never sees it: the limit is named here, once per process.
  // send_sig(…, 0) makes it SI_USER from the writer itself, with no kill()
  // of the writer's behind it.
  const bool from_write = from.kind == Party::kKernel || (from.IsProcess(task.tgid) && !by_call);
  if (sig == SIGXFSZ && from_write && opt_.file_size_limit > 0 && proc &&
      outcome != Outcome::kKilled && !proc->wrote_past_file_size) {
    proc->wrote_past_file_size = true;
    Event limit;
    limit.t_us = clock_();
    limit.type = EventType::kLimit;
    limit.kind = "file_size";
    limit.pid = task.tgid;
    limit.detail = fmt::format(
        "wrote past its {} file size limit: the write failed with EFBIG (SIGXFSZ {})",
        FormatSize(opt_.file_size_limit), outcome == Outcome::kIgnored ? "ignored" : "handled");
    Record(std::move(limit));
  }
  return Restart::Cont(sig);  // re-inject: the program gets exactly what was sent
}

}  // namespace proclab
