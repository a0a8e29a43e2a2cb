#include "runner/expect/hang.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "runner/base/units.h"
#include "runner/timeline/stuck.h"

namespace proclab::expect {
namespace {

constexpr size_t kMaxCycles = 3;
constexpr size_t kMaxExitedShown = 3;
// A fork bomb's timeout leaves hundreds: the first are named, the rest counted.
constexpr size_t kMaxStuckShown = 8;

const ProcessSnapshot* Find(const Event& timeout, pid_t pid) {
  for (const auto& s : timeout.processes)
    if (s.pid == pid) return &s;
  return nullptr;
}

bool Wanted(const std::vector<pid_t>& only, pid_t pid) {
  return only.empty() || std::find(only.begin(), only.end(), pid) != only.end();
}

std::string Join(const std::vector<std::string>& items, const char* last = " and ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? last : ", ";
    out += items[i];
  }
  return out;
}

// Who each process waited for: the other holders of the lock it was blocked on.
std::map<pid_t, std::vector<pid_t>> WaitsFor(const Event& timeout) {
  std::map<pid_t, std::vector<pid_t>> edges;
  for (const auto& s : timeout.processes) {
    if (!s.lock_wait) continue;
    for (pid_t h : s.lock_wait->held_by)
      if (h != s.pid && Find(timeout, h)) edges[s.pid].push_back(h);
  }
  return edges;
}

// Cycles of the wait-for graph, each once, starting at its lowest pid: a
// process waits for a lock held by the next, and the last for the first's.
std::vector<std::vector<pid_t>> Cycles(const Event& timeout) {
  const auto edges = WaitsFor(timeout);
  std::vector<std::vector<pid_t>> cycles;
  for (const auto& edge : edges) {
    const pid_t start = edge.first;
    std::vector<pid_t> path{start};
    std::set<pid_t> on_path{start};
    // Depth-first over processes above `start`, so each cycle is found from
    // its lowest member only.
    std::function<void(pid_t)> walk = [&](pid_t at) {
      auto it = edges.find(at);
      if (it == edges.end() || cycles.size() >= kMaxCycles) return;
      for (pid_t to : it->second) {
        if (to == start) {
          cycles.push_back(path);
        } else if (to > start && !on_path.count(to) && path.size() < 16) {
          path.push_back(to);
          on_path.insert(to);
          walk(to);
          on_path.erase(to);
          path.pop_back();
        }
      }
    };
    walk(start);
  }
  return cycles;
}

std::string Since(const ProcessSnapshot& s) {
  if (s.state == 'R' && s.syscall.empty())
    return fmt::format(", having used {}s of CPU", FormatSeconds(s.cpu_us));
  if (s.last_event_us < 0 || !Blocked(s)) return {};
  return fmt::format(", nothing seen from it since {}s", FormatSeconds(s.last_event_us));
}

// The phrase, with a waiting parent's children named.
std::string Phrase(const Names& names, const Event& timeout, const ProcessSnapshot& s) {
  std::string out = DescribeStuck(s, [&](pid_t p) { return names.Label(p); });
  if (s.syscall == "wait4" || s.syscall == "waitid") {
    std::vector<std::string> children;
    for (const auto& c : timeout.processes)
      if (c.ppid == s.pid && c.pid != s.pid) children.push_back(names.Label(c.pid));
    if (!children.empty()) out += ": " + Join(children, " or ");
  }
  return out;
}

std::string DescribeCycle(const Names& names, const Event& timeout,
                          const std::vector<pid_t>& cycle) {
  std::vector<std::string> who, waits;
  int64_t since = -1;
  for (size_t i = 0; i < cycle.size(); ++i) {
    const ProcessSnapshot& s = *Find(timeout, cycle[i]);
    who.push_back(names.Label(s.pid));
    waits.push_back(fmt::format("{} waited in {}() for {}, held by {}", names.Label(s.pid),
                                s.syscall.empty() ? "a lock call" : s.syscall,
                                LockText(*s.lock_wait),
                                names.Label(cycle[(i + 1) % cycle.size()])));
    since = std::max(since, s.last_event_us);
  }
  std::string head =
      cycle.size() == 2
          ? fmt::format("{} and {} were each blocked on a file lock the other held: a deadlock",
                        who[0], who[1])
          : fmt::format("{} were blocked in a cycle of file locks: a deadlock", Join(who));
  std::string out = fmt::format("{} ({})", head, fmt::join(waits, "; "));
  if (since >= 0) out += fmt::format(", nothing seen from them since {}s", FormatSeconds(since));
  return out;
}

}  // namespace

const Event* FindTimeout(const Timeline& t) {
  for (const auto& e : t.events())
    if (e.type == EventType::kLimit && e.kind == "timeout") return &e;
  return nullptr;
}

std::optional<std::string> StuckPhrase(const Names& names, const Event& timeout, pid_t pid) {
  const ProcessSnapshot* s = Find(timeout, pid);
  if (!s) return std::nullopt;
  return Phrase(names, timeout, *s);
}

std::string DescribeHang(const Names& names, const Event& timeout, const std::vector<pid_t>& only) {
  std::vector<std::string> parts;
  std::set<pid_t> said;
  for (const auto& cycle : Cycles(timeout)) {
    if (!std::any_of(cycle.begin(), cycle.end(), [&](pid_t p) { return Wanted(only, p); }))
      continue;
    parts.push_back(DescribeCycle(names, timeout, cycle));
    said.insert(cycle.begin(), cycle.end());
  }
  std::map<std::string, int> rest;  // what the processes not named were doing
  size_t shown = 0, unnamed = 0;
  for (const auto& s : timeout.processes) {
    if (said.count(s.pid) || !Wanted(only, s.pid)) continue;
    if (shown++ < kMaxStuckShown) {
      parts.push_back(
          fmt::format("{} was {}{}", names.Label(s.pid), Phrase(names, timeout, s), Since(s)));
      continue;
    }
    ++unnamed;
    ++rest[s.syscall.empty() ? DescribeStuck(s, [](pid_t) { return std::string(); })
                             : fmt::format("in {}()", s.syscall)];
  }
  if (unnamed) {
    std::vector<std::string> counts;
    counts.reserve(rest.size());
    for (const auto& [what, n] : rest) counts.push_back(fmt::format("{} {}", n, what));
    parts.push_back(fmt::format("{} more: {}", unnamed, Join(counts)));
  }
  if (parts.empty()) return {};
  // Who had already gone: often the other half of the story (a parent in
  // pause() whose child exited long ago).
  std::vector<std::string> exited;
  size_t more = 0;
  for (const auto& rec : names.records()) {
    if (!rec.end_us || *rec.end_us > timeout.t_us || rec.killed_by_lab || !Wanted(only, rec.pid))
      continue;
    if (exited.size() == kMaxExitedShown) {
      ++more;
      continue;
    }
    const bool reaped = rec.reaped_us && *rec.reaped_us <= timeout.t_us;
    exited.push_back(fmt::format("{} had exited at {}s{}", names.Label(rec),
                                 FormatSeconds(*rec.end_us), reaped ? "" : " (not reaped)"));
  }
  if (more) exited.push_back(fmt::format("{} more had exited", more));
  parts.insert(parts.end(), exited.begin(), exited.end());
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace proclab::expect
