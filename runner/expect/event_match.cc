#include "runner/expect/event_match.h"

#include <fmt/format.h>

#include <algorithm>

#include "runner/base/signal_names.h"
#include "runner/expect/patterns.h"

namespace proclab::expect {
namespace {

using K = EventName::Kind;

std::string Ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : n % 10 == 1              ? "st"
                       : n % 10 == 2              ? "nd"
                       : n % 10 == 3              ? "rd"
                                                  : "th";
  return fmt::format("{}{}", n, suffix);
}

std::string NeverText(const EventName& n) {
  switch (n.kind) {
    case K::kExit: return fmt::format("{} never exited", n.process);
    case K::kFork: return fmt::format("{} never started", n.process);
    case K::kExec: return fmt::format("{} never exec'd", n.process);
    case K::kReap: return fmt::format("{} was never reaped", n.process);
    case K::kSignal:
      return fmt::format("{} never got {}{}", n.process.empty() ? "nobody" : n.process,
                         SignalName(n.sig), n.from.empty() ? "" : " from " + n.from);
    case K::kOutput: return fmt::format("nothing matched '{}'", n.pattern);
    case K::kCheckpoint: return fmt::format("checkpoint '{}' was never taken", n.name);
    case K::kKey: return fmt::format("{} was never pressed", n.name);
  }
  return "it never happened";
}

}  // namespace

std::vector<size_t> Occurrences(const Context& c, const EventName& n, std::string* why) {
  const auto& events = c.timeline.events();
  if (!n.process.empty() && c.names.ResolveRecords(n.process).empty()) {
    *why = c.Missing(n.process);
    return {};
  }
  size_t i = 0;  // the event being looked at: a name means the process holding a pid then
  auto is_ours = [&](pid_t pid) { return n.process.empty() || c.names.Means(n.process, pid, i); };
  std::optional<Regex> re;
  if (n.kind == K::kOutput) {
    std::string missing;
    re = ExpandPattern(n.pattern, c.names, &missing);
    if (!re) {
      *why = c.Missing(missing);
      return {};
    }
  }
  std::vector<size_t> out;
  for (i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    bool hit = false;
    switch (n.kind) {
      case K::kExit: hit = e.type == EventType::kExit && is_ours(e.pid); break;
      case K::kReap: hit = e.type == EventType::kReap && is_ours(e.pid); break;
      case K::kFork:
        hit = ((e.type == EventType::kFork && !e.thread) || e.type == EventType::kSpawn) &&
              is_ours(e.pid);
        break;
      case K::kExec: hit = e.type == EventType::kExec && is_ours(e.pid); break;
      case K::kSignal:
        hit = e.type == EventType::kSignalDelivered && e.sig == n.sig && is_ours(e.pid) &&
              c.PartyIs(e.from, n.from, i);
        break;
      case K::kOutput:
        hit = e.type == EventType::kOutput && is_ours(e.pid) && re->Search(e.text);
        break;
      case K::kCheckpoint: hit = e.type == EventType::kCheckpoint && e.name == n.name; break;
      case K::kKey: break;  // steps, not events: see check_after.cc
    }
    if (hit) out.push_back(i);
  }
  return out;
}

std::optional<size_t> FindEvent(const Context& c, const EventName& n, std::string* never) {
  std::string why;
  const std::vector<size_t> all = Occurrences(c, n, &why);
  if (!why.empty()) {
    *never = why;
    return std::nullopt;
  }
  if (n.nth > 0) {
    if (static_cast<size_t>(n.nth) <= all.size()) return all[static_cast<size_t>(n.nth) - 1];
    *never = all.empty() ? NeverText(n)
                         : fmt::format("it happened {} time{}, never a {} time", all.size(),
                                       all.size() == 1 ? "" : "s", Ordinal(n.nth));
    return std::nullopt;
  }
  if (n.kind == K::kExit || n.kind == K::kReap) {
    // "exit X" and "reap X" mean every X: the last one counts.
    const size_t wanted = n.process.empty() ? 1 : c.names.ResolveRecords(n.process).size();
    if (!all.empty() && all.size() >= wanted) return all.back();
    *never = all.empty() ? NeverText(n)
                         : fmt::format("only {} of the {} processes called {} did", all.size(),
                                       wanted, n.process);
    return std::nullopt;
  }
  if (!all.empty()) return all.front();
  *never = NeverText(n);
  return std::nullopt;
}

std::vector<size_t> NearestTo(const Context& c, const EventName& name) {
  std::string why;
  std::vector<size_t> out = Occurrences(c, name, &why);
  if (!out.empty()) return out;
  EventName anyone = name;
  anyone.process.clear();
  anyone.from.clear();
  anyone.nth = 0;
  if (anyone.kind != K::kOutput) out = Occurrences(c, anyone, &why);
  if (anyone.kind == K::kSignal && out.empty()) {
    // Another signal to the same process.
    const auto& events = c.timeline.events();
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i].type == EventType::kSignalDelivered && !name.process.empty() &&
          c.names.Means(name.process, events[i].pid, i))
        out.push_back(i);
  }
  if (out.empty() && !name.process.empty())
    for (pid_t pid : c.names.Resolve(name.process)) AddEvidence(&out, c.EndOf(pid));
  if (out.size() > kMaxEvidence) out.resize(kMaxEvidence);
  return out;
}

}  // namespace proclab::expect
