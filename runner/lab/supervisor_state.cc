// What the programs are doing now, read from /proc for checkpoints and for
// pacing: a person at the keyboard waits for a program at rest before typing.
#include "runner/lab/supervisor.h"

namespace proclab {

std::vector<ProcessSnapshot> Supervisor::Snapshot() {
  std::vector<ProcessSnapshot> out;
  const long hz = ops_.ClockTicksPerSecond();
  for (const auto& [pid, p] : procs_) {
    auto st = ops_.Stat(pid);
    if (!st) continue;
    ProcessSnapshot s;
    s.pid = pid;
    s.ppid = st->ppid;
    s.pgid = st->pgid;
    s.sid = st->sid;
    s.state = st->state;
    // 't' is a ptrace-stop: a real group-stop (kept with PTRACE_LISTEN) is
    // 'T' to the program; any other is the lab holding it mid-syscall.
    if (s.state == 't') s.state = p.stopped ? 'T' : 'R';
    s.nice = st->nice;
    s.threads = st->threads;
    s.cpu_us = static_cast<int64_t>((st->utime_ticks + st->stime_ticks) * 1000000 / hz);
    s.name = ops_.Comm(pid);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<pid_t> Supervisor::Busy() {
  std::set<pid_t> busy;
  for (const auto& [tid, t] : tasks_) {
    if (busy.count(t.tgid)) continue;
    auto st = ops_.Stat(tid);
    if (!st) continue;  // gone meanwhile
    // R runs, D finishes I/O; 't' not kept as a real group-stop is a task
    // the lab holds at a stop it has yet to restart. S, T and Z are at rest.
    const bool held = st->state == 't' && !t.group_stopped;
    if (st->state == 'R' || st->state == 'D' || held) busy.insert(t.tgid);
  }
  return {busy.begin(), busy.end()};
}

}  // namespace proclab
