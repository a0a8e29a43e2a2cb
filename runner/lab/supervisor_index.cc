// The supervisor's indexes over its tasks and processes. With 10,000
// processes alive (bench/run scale's wide tree), counting pending forks at
// each clone, looking for a waiting thread at each exit, or a parent's
// children at each death by scanning every task made a run quadratic in the
// processes alive. Every change to a field indexed here goes through these.
#include "runner/lab/supervisor.h"

namespace proclab {

void Supervisor::SetPending(Task& task, bool fork, bool thread) {
  pending_forks_ += static_cast<int>(fork) - static_cast<int>(task.fork_pending);
  pending_threads_ += static_cast<int>(thread) - static_cast<int>(task.thread_pending);
  task.fork_pending = fork;
  task.thread_pending = thread;
  if (fork || thread)
    pending_tids_.insert(task.tid);
  else
    pending_tids_.erase(task.tid);
}

void Supervisor::SetAwait(Task& task, Await await) {
  if (task.await == Await::kWait) waiting_.erase(waiting_.find(task.tgid));
  if (await == Await::kWait) waiting_.insert(task.tgid);
  task.await = await;
}

void Supervisor::SetPendingSend(Task& task, std::optional<Event> send) {
  task.pending_send = std::move(send);
  if (task.pending_send)
    sending_.insert(task.tid);
  else
    sending_.erase(task.tid);
}

void Supervisor::DropChild(pid_t ppid, pid_t pid) {
  if (auto it = children_.find(ppid); it != children_.end()) {
    it->second.erase(pid);
    if (it->second.empty()) children_.erase(it);
  }
}

void Supervisor::SetParent(Proc& proc, pid_t ppid) {
  DropChild(proc.ppid, proc.pid);
  proc.ppid = ppid;
  children_[ppid].insert(proc.pid);
}

void Supervisor::EraseTask(pid_t tid) {
  auto it = tasks_.find(tid);
  if (it == tasks_.end()) return;
  SetPending(it->second, false, false);
  SetAwait(it->second, Await::kNone);
  sending_.erase(tid);
  tasks_.erase(it);
}

void Supervisor::EraseProc(pid_t pid) {
  auto it = procs_.find(pid);
  if (it == procs_.end()) return;
  DropChild(it->second.ppid, pid);
  zombies_ -= it->second.exited;
  unclaimed_.erase(pid);
  procs_.erase(it);
}

std::vector<pid_t> Supervisor::ChildrenOf(pid_t ppid) const {
  auto it = children_.find(ppid);
  if (it == children_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

int Supervisor::TasksInUse() const {
  // A zombie holds its pid, and so does a clone let through whose child has
  // not appeared yet.
  return static_cast<int>(tasks_.size()) + pending_forks_ + pending_threads_ + zombies_;
}

bool Supervisor::InWait(pid_t process) const { return waiting_.count(process) > 0; }

}  // namespace proclab
