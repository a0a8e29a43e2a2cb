// processes, no_leaks, no_zombies: the run as a whole.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "runner/expect/context.h"

namespace proclab::expect {

Verdict CheckProcesses(const Context& c, const Expectation& e) {
  // Alive: started and not yet exited (a zombie is no longer alive).
  int alive = 0, max_alive = 0;
  int64_t max_at = 0;
  size_t peak = 0;  // the birth that made the peak: the evidence
  std::set<pid_t> distinct;
  int total = 0;
  const auto& events = c.timeline.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.type == EventType::kSpawn || (ev.type == EventType::kFork && !ev.thread)) {
      ++alive;
      ++total;
      distinct.insert(ev.pid);
      if (alive > max_alive) {
        max_alive = alive;
        max_at = ev.t_us;
        peak = i;
      }
    } else if (ev.type == EventType::kExit) {
      --alive;
    }
  }
  std::string story =
      fmt::format("{} process{} in all ({} distinct pid{}); at most {} alive at once ({})", total,
                  total == 1 ? "" : "es", distinct.size(), distinct.size() == 1 ? "" : "s",
                  max_alive, Context::At(max_at));
  std::vector<size_t> evidence;
  if (total > 0) evidence.push_back(peak);
  static const Expectation::ProcessCounts kNone;
  const Expectation::ProcessCounts& want = e.counts ? *e.counts : kNone;
  if (!want.max_alive.empty() && !want.max_alive.Contains(max_alive))
    return Fail(e, story + fmt::format("; expected the peak to be {}", want.max_alive.Describe()),
                evidence);
  if (!want.total.empty() && !want.total.Contains(total))
    return Fail(e, story + fmt::format("; expected {} in all", want.total.Describe()), evidence);
  if (!want.distinct.empty() && !want.distinct.Contains(static_cast<int64_t>(distinct.size())))
    return Fail(e, story + fmt::format("; expected {} distinct pids", want.distinct.Describe()),
                evidence);
  return Pass(e, story, evidence);
}

// A leak: a process the program left running when its main process ended.
Verdict CheckNoLeaks(const Context& c, const Expectation& e) {
  std::string leaks;
  std::vector<size_t> evidence;
  for (const auto& rec : c.names.records()) {
    if (!rec.killed_by_lab ||
        rec.killed_by_lab->find("after the main process exited") == std::string::npos)
      continue;
    AddEvidence(&evidence, {rec.first_event});
    AddEvidence(&evidence, c.EndOf(rec.pid));
    leaks += fmt::format(
        "{}{}, started by {}, was still running after the main process exited; the lab killed it",
        leaks.empty() ? "" : "; ", c.names.Label(rec.pid), c.names.Label(rec.ppid));
  }
  if (!leaks.empty()) {
    // The main process's exit, after which they lingered.
    for (const auto& rec : c.names.records())
      if (rec.pid == c.timeline.main_pid)
        AddEvidence(&evidence, c.EventsOf(rec.pid, {EventType::kExit}));
    return Fail(e, leaks, evidence);
  }
  return Pass(e, "nothing was left running after the main process exited");
}

// A zombie: a child that exited while its parent lived on without waiting
// for it, so the parent's exit (or the lab) had to clean up. A parent that
// exits normally should have waited; one killed by a signal is blamed only
// if the zombie was left waiting for a while (kZombieGraceUs): a child and a
// parent that die of the same cause at the same moment are no bug.
constexpr int64_t kZombieGraceUs = 100'000;

Verdict CheckNoZombies(const Context& c, const Expectation& e) {
  std::map<pid_t, const ProcessRecord*> by_pid;
  for (const auto& rec : c.names.records()) by_pid[rec.pid] = &rec;
  std::string zombies;
  std::vector<size_t> evidence;
  for (const auto& rec : c.names.records()) {
    if (!rec.exit || rec.ppid == c.timeline.lab.pid) continue;
    auto parent_it = by_pid.find(rec.ppid);
    if (parent_it == by_pid.end()) continue;
    const ProcessRecord& parent = *parent_it->second;
    if (!parent.end_us || *parent.end_us < *rec.end_us) continue;
    if (rec.reaped_by &&
        (rec.reaped_by->IsProcess(parent.pid) || rec.reaped_by->kind == Party::kKernel))
      continue;
    const bool parent_chose_to_exit = parent.exit && !parent.exit->signaled;
    if (!parent_chose_to_exit && *parent.end_us - *rec.end_us < kZombieGraceUs) continue;
    // The child's exit and reap, and the parent's end in between.
    AddEvidence(&evidence, c.EndOf(rec.pid));
    AddEvidence(&evidence, c.EventsOf(parent.pid, {EventType::kExit}));
    zombies +=
        fmt::format("{}{} exited {} but {} never waited for it: it stayed a zombie until {} {}",
                    zombies.empty() ? "" : "; ", c.names.Label(rec.pid), Context::At(*rec.end_us),
                    c.names.Label(parent.pid), c.names.Label(parent.pid), c.Fate(parent.pid));
  }
  if (!zombies.empty()) return Fail(e, zombies, evidence);
  return Pass(e, "every child that exited was reaped by its parent");
}

}  // namespace proclab::expect
