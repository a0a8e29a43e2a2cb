#include "reports/html/lanes.h"

#include <algorithm>
#include <functional>

namespace proclab::html {
namespace {

// Which party lanes the run needs: the lab always (it starts the program,
// presses keys, takes checkpoints, kills), the others when an event names them.
void PartiesUsed(const Timeline& t, bool used[4]) {
  used[0] = true;
  used[1] = used[2] = used[3] = false;
  auto mark = [&](const Party& p) {
    if (p.kind == Party::kTty) used[1] = true;
    if (p.kind == Party::kKernel) used[2] = true;
    if (p.kind == Party::kUnknown) used[3] = true;
  };
  for (const Event& e : t.events()) {
    if (e.type == EventType::kSignalSent || e.type == EventType::kSignalDelivered) mark(e.from);
    if (e.type == EventType::kReap) mark(e.by);
  }
  for (const StepResult& s : t.steps)
    if (s.text.starts_with("key ")) used[1] = true;
}

}  // namespace

Lanes::Lanes(const Timeline& t) : t_(t), records_(t.Processes()) {
  for (size_t r = 0; r < records_.size(); ++r)
    by_pid_[records_[r].pid].push_back(static_cast<int>(r));
  bool used[4];
  PartiesUsed(t, used);
  const Lane::Kind kinds[4] = {Lane::Kind::kLab, Lane::Kind::kTty, Lane::Kind::kKernel,
                               Lane::Kind::kUnknown};
  for (int k = 0; k < 4; ++k)
    if (used[k]) {
      party_[k] = static_cast<int>(lanes_.size());
      lanes_.push_back({kinds[k], -1, 0});
    }
  // The tree: a record's parent is the process that held its ppid at its birth.
  std::vector<std::vector<int>> children(records_.size());
  std::vector<int> roots;
  for (size_t r = 0; r < records_.size(); ++r) {
    const ProcessRecord& rec = records_[r];
    int parent = -1;
    if (rec.ppid != t.lab.pid) {
      auto it = by_pid_.find(rec.ppid);
      if (it != by_pid_.end())
        for (int cand : it->second)
          if (records_[cand].first_event <= rec.first_event && cand != static_cast<int>(r))
            parent = cand;
    }
    (parent < 0 ? roots : children[parent]).push_back(static_cast<int>(r));
  }
  lane_of_record_.assign(records_.size(), -1);
  // Iterative depth-first walk: a fork chain of thousands must not overflow the stack.
  std::vector<std::pair<int, int>> todo;  // (record, depth)
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) todo.push_back({*it, 0});
  while (!todo.empty()) {
    auto [r, depth] = todo.back();
    todo.pop_back();
    lane_of_record_[r] = static_cast<int>(lanes_.size());
    lanes_.push_back({Lane::Kind::kProcess, r, depth});
    for (auto it = children[r].rbegin(); it != children[r].rend(); ++it)
      todo.push_back({*it, depth + 1});
  }
}

int Lanes::OfProcess(pid_t pid, size_t index) const {
  auto it = by_pid_.find(pid);
  if (it == by_pid_.end()) return pid == t_.lab.pid ? party_[0] : -1;
  // The latest process born at or before the event; an event that came
  // before any birth (the order the lab saw them in) belongs to the first.
  int chosen = it->second.front();
  for (int r : it->second)
    if (records_[r].first_event <= index) chosen = r;
  return lane_of_record_[chosen];
}

int Lanes::OfParty(const Party& p, size_t index) const {
  switch (p.kind) {
    case Party::kProcess: return OfProcess(p.pid, index);
    case Party::kLab: return party_[0];
    case Party::kTty: return party_[1];
    case Party::kKernel: return party_[2];
    case Party::kUnknown: return party_[3];
  }
  return -1;
}

}  // namespace proclab::html
