// order: each listed event happened, and in this order.
#include <fmt/format.h>

#include <algorithm>

#include "runner/base/signal_names.h"
#include "runner/expect/context.h"
#include "runner/run/patterns.h"

namespace proclab::expect {
namespace {

// Index of the first event that `item` means, or a reason it never happened.
std::optional<size_t> Find(const Context& c, const OrderItem& item, std::string* never) {
  const auto& events = c.timeline.events();
  std::vector<pid_t> pids;
  if (!item.process.empty()) {
    pids = c.names.Resolve(item.process);
    if (pids.empty()) {
      *never = c.Missing(item.process);
      return std::nullopt;
    }
  }
  auto is_ours = [&](pid_t pid) {
    return pids.empty() || std::find(pids.begin(), pids.end(), pid) != pids.end();
  };
  std::optional<Regex> re;
  if (item.kind == OrderItem::Kind::kOutput) {
    std::string missing;
    re = ExpandPattern(item.pattern, c.names, &missing);
    if (!re) {
      *never = c.Missing(missing);
      return std::nullopt;
    }
  }
  // "exit X" and "reap X" mean every X: the last one counts. The others
  // mean the first time it happens.
  if (item.kind == OrderItem::Kind::kExit || item.kind == OrderItem::Kind::kReap) {
    const EventType type =
        item.kind == OrderItem::Kind::kExit ? EventType::kExit : EventType::kReap;
    std::optional<size_t> last;
    size_t seen = 0;
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i].type == type && is_ours(events[i].pid)) {
        last = i;
        ++seen;
      }
    if (last && (pids.empty() || seen >= pids.size())) return last;
    *never = item.kind == OrderItem::Kind::kExit ? fmt::format("{} never exited", item.process)
                                                 : fmt::format("{} was never reaped", item.process);
    if (last)
      *never =
          fmt::format("only {} of the {} processes called {} did", seen, pids.size(), item.process);
    return std::nullopt;
  }
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    switch (item.kind) {
      case OrderItem::Kind::kExit: break;
      case OrderItem::Kind::kFork:
        if ((e.type == EventType::kFork && !e.thread) || e.type == EventType::kSpawn)
          if (is_ours(e.pid)) return i;
        break;
      case OrderItem::Kind::kReap: break;
      case OrderItem::Kind::kSignal:
        if (e.type == EventType::kSignalDelivered && e.sig == item.sig && is_ours(e.pid)) return i;
        break;
      case OrderItem::Kind::kOutput:
        if (e.type == EventType::kOutput && is_ours(e.pid) && re->Search(e.text)) return i;
        break;
      case OrderItem::Kind::kCheckpoint:
        if (e.type == EventType::kCheckpoint && e.name == item.name) return i;
        break;
    }
  }
  switch (item.kind) {
    case OrderItem::Kind::kExit: *never = fmt::format("{} never exited", item.process); break;
    case OrderItem::Kind::kFork: *never = fmt::format("{} never started", item.process); break;
    case OrderItem::Kind::kReap: *never = fmt::format("{} was never reaped", item.process); break;
    case OrderItem::Kind::kSignal:
      *never = fmt::format("{} never got {}", item.process.empty() ? "nobody" : item.process,
                           SignalName(item.sig));
      break;
    case OrderItem::Kind::kOutput:
      *never = fmt::format("nothing matched '{}'", item.pattern);
      break;
    case OrderItem::Kind::kCheckpoint:
      *never = fmt::format("checkpoint '{}' was never taken", item.name);
      break;
  }
  return std::nullopt;
}

}  // namespace

Verdict CheckOrder(const Context& c, const Expectation& e) {
  std::vector<size_t> at;
  for (const auto& item : e.order) {
    std::string never;
    auto i = Find(c, item, &never);
    if (!i) return Fail(e, fmt::format("'{}' never happened: {}", item.text, never));
    at.push_back(*i);
  }
  const auto& events = c.timeline.events();
  std::string story;
  for (size_t k = 0; k < at.size(); ++k)
    story +=
        fmt::format("{}'{}' {}", k ? ", " : "", e.order[k].text, Context::At(events[at[k]].t_us));
  for (size_t k = 1; k < at.size(); ++k) {
    if (at[k] > at[k - 1]) continue;
    return Fail(e, fmt::format("'{}' happened before '{}': {}", e.order[k].text,
                               e.order[k - 1].text, story));
  }
  return Pass(e, story);
}

}  // namespace proclab::expect
