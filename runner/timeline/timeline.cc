#include "runner/timeline/timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "runner/base/signal_names.h"

namespace proclab {

std::string ExitStatus::Describe() const {
  if (!signaled) return fmt::format("exit {}", code);
  return fmt::format("killed by {}{}", SignalName(sig), core ? " (core dumped)" : "");
}

void Timeline::Add(Event e) {
  if (events_.empty() || events_.back().t_us <= e.t_us) {
    events_.push_back(std::move(e));
    return;
  }
  auto at = std::upper_bound(events_.begin(), events_.end(), e.t_us,
                             [](int64_t t, const Event& ev) { return t < ev.t_us; });
  events_.insert(at, std::move(e));
}

std::vector<ProcessRecord> Timeline::Processes() const {
  std::vector<ProcessRecord> out;
  std::map<pid_t, size_t> current;  // pid -> index in `out` of its latest record
  auto find = [&](pid_t pid) -> ProcessRecord* {
    auto it = current.find(pid);
    return it == current.end() ? nullptr : &out[it->second];
  };
  for (size_t i = 0; i < events_.size(); ++i) {
    const Event& e = events_[i];
    switch (e.type) {
      case EventType::kSpawn:
      case EventType::kFork: {
        if (e.type == EventType::kFork && e.thread) {
          if (ProcessRecord* p = find(e.parent)) ++p->threads;
          break;
        }
        ProcessRecord rec;
        rec.pid = e.pid;
        rec.ppid = e.type == EventType::kSpawn ? e.ppid : e.parent;
        rec.start_us = e.t_us;
        rec.first_event = i;
        rec.id = static_cast<int>(out.size()) + 1;
        if (const ProcessRecord* parent = find(rec.ppid)) {
          rec.name = parent->name;
          rec.argv = parent->argv;
        }
        if (e.type == EventType::kSpawn) rec.argv = e.argv;
        if (!e.name.empty()) rec.name = e.name;
        out.push_back(std::move(rec));
        current[e.pid] = out.size() - 1;
        break;
      }
      case EventType::kExec:
        if (ProcessRecord* p = find(e.pid)) {
          p->argv = e.argv;
          if (!e.name.empty()) p->name = e.name;
        }
        break;
      case EventType::kExit:
        if (ProcessRecord* p = find(e.pid)) {
          p->end_us = e.t_us;
          p->exit = ExitStatus{e.signaled, e.code, e.sig, e.core};
          p->exit_event = i;
          if (e.usage) p->usage = *e.usage;
        }
        break;
      case EventType::kReap:
        if (ProcessRecord* p = find(e.pid)) {
          p->reaped_by = e.by;
          p->reaped_us = e.t_us;
          p->last_event = i;
        }
        break;
      case EventType::kReparent:
        if (ProcessRecord* p = find(e.pid)) p->adoptions.emplace_back(e.t_us, e.new_parent);
        break;
      case EventType::kKilledByLab:
        if (ProcessRecord* p = find(e.pid)) p->killed_by_lab = e.detail;
        break;
      case EventType::kActor:
        // The actor runs under its own name (PR_SET_NAME), as ps shows it;
        // an exec later renames it again.
        if (ProcessRecord* p = find(e.pid)) p->actor = p->name = e.name;
        break;
      default: break;
    }
  }
  return out;
}

std::optional<ProcessRecord> Timeline::Process(pid_t pid, std::optional<int64_t> t_us) const {
  std::optional<ProcessRecord> best;
  for (auto& rec : Processes()) {
    if (rec.pid != pid) continue;
    if (t_us && rec.start_us > *t_us) break;
    best = rec;
  }
  return best;
}

}  // namespace proclab
