// Expectations: `- exit: {process: child, code: 7}`, `- no_zombies`, …
#include <fmt/format.h>

#include "runner/base/regex.h"
#include "runner/base/signal_names.h"
#include "runner/scenario/read_parts.h"

namespace proclab::doc {
namespace {

using K = Expectation::Kind;

const std::vector<std::pair<std::string, K>> kKinds = {
    {"exit", K::kExit},
    {"killed", K::kKilled},
    {"state", K::kState},
    {"parent", K::kParent},
    {"reaped", K::kReaped},
    {"signal", K::kSignal},
    {"no_signal", K::kNoSignal},
    {"order", K::kOrder},
    {"output", K::kOutput},
    {"no_output", K::kNoOutput},
    {"pid", K::kPid},
    {"processes", K::kProcesses},
    {"duration", K::kDuration},
    {"no_leaks", K::kNoLeaks},
    {"no_zombies", K::kNoZombies},
    {"lua", K::kLua},
    {"files", K::kFiles},
    {"cpu", K::kCpu},
    {"parallelism", K::kParallelism},
    {"rss", K::kRss},
    {"value", K::kValue},
    {"compare", K::kCompare},
    {"sections", K::kSections},
};

std::vector<std::string> KindNames() {
  std::vector<std::string> out;
  out.reserve(kKinds.size());
  for (const auto& [name, k] : kKinds) out.push_back(name);
  return out;
}

Expectation ReadOne(const Reader& r, const DocNode& node, const MeasuredNames& measured) {
  if (node.IsFunction()) {
    // An expectation written as a function of the scenario's script.
    Expectation e;
    e.kind = K::kLua;
    e.loc = r.Where(node);
    e.lua_function = node.function_ref();
    e.lua = fmt::format("(the function at line {})", e.loc.line);
    return e;
  }
  Tagged t = ReadTagged(r, node, "expectation", KindNames());
  Expectation e;
  e.loc = r.Where(*t.tag_node);
  for (const auto& [name, k] : kKinds)
    if (name == t.tag) e.kind = k;
  const DocNode& v = *t.value;
  const bool bare = !v.IsDefined() || v.IsNull();
  if (e.kind == K::kNoLeaks || e.kind == K::kNoZombies) {
    if (!bare) e.enabled = r.Bool(v, t.tag);
    return e;
  }
  if (bare)
    r.Fail(*t.tag_node, fmt::format("'{}' needs its details, e.g. '- {}: {{…}}'", t.tag, t.tag));
  if (e.kind == K::kOrder) {
    if (!v.IsList() || v.size() < 2)
      r.Fail(v, "order takes a list of at least two events, e.g. [exit child, exit parent]");
    for (const DocNode* item : v.items()) {
      auto name = ParseEventName(r.String(*item, "an order entry"));
      if (!name) r.Fail(*item, name.error().message);
      if (name->kind == EventName::Kind::kKey)
        r.Fail(*item,
               "a key press is a step, not an event of the timeline: order the signals "
               "it sent instead (signal SIGINT from tty to X)");
      name->loc = r.Where(*item);
      e.order.push_back(std::move(*name));
    }
    return e;
  }
  if (e.kind == K::kLua) {
    e.lua = r.String(v, "lua");
    return e;
  }
  if (e.kind == K::kCompare && v.IsScalar()) {
    ReadCompareText(r, v, &e, measured);
    return e;
  }
  Map m(r, v, t.tag);
  if (auto p = m.Get("points")) {
    e.points = r.Number(*p, t.tag + ".points");
    if (*e.points < 0) r.Fail(*p, t.tag + ".points must be 0 or more");
  }
  // Reads a name field and remembers where it is written.
  auto name = [&](const char* key, bool required) -> std::string {
    const DocNode* n = required ? &m.Require(key) : m.Get(key);
    if (!n) return {};
    e.Remember(key, r.Where(*n));
    return r.String(*n, t.tag + "." + key);
  };
  auto process = [&](bool required) { e.process = name("process", required); };
  // `after: EVENT`, `within: D`, `first: true` (output and signal): a reply
  // to each such event.
  auto reply = [&]() {
    if (auto a = m.Get("after")) {
      auto event = ParseEventName(r.String(*a, t.tag + ".after"));
      if (!event) r.Fail(*a, event.error().message);
      event->loc = r.Where(*a);
      e.after = std::make_shared<const EventName>(std::move(*event));
      e.Remember("after", r.Where(*a));
    }
    if (auto w = m.Get("within")) {
      if (!e.after) r.Fail(*w, t.tag + ".within goes with after: (the event it answers)");
      e.within_us = r.Duration(*w, t.tag + ".within");
    }
    if (auto f = m.Get("first")) {
      if (!e.after) r.Fail(*f, t.tag + ".first goes with after:");
      e.first = r.Bool(*f, t.tag + ".first");
    }
    if (e.after && !e.count.empty())
      r.Fail(v, t.tag + ": count and after do not go together (after: wants one reply per event)");
  };
  switch (e.kind) {
    case K::kExit:
      process(true);
      if (auto c = m.Get("code")) {
        const int64_t code = r.Int(*c, "exit.code");
        if (code < 0 || code > 255)
          r.Fail(*c,
                 fmt::format("exit.code: {} is out of range (0 to 255){}", code,
                             code < 0 ? "; for a process killed by a signal, use 'killed'" : ""));
        e.code = static_cast<int>(code);
      }
      break;
    case K::kKilled:
      process(true);
      if (auto s = m.Get("sig")) e.sig = r.Signal(*s, "killed.sig");
      if (auto c = m.Get("core")) e.core = r.Bool(*c, "killed.core");
      break;
    case K::kState:
      process(true);
      e.at = name("at", true);
      e.is = r.OneOf(m.Require("is"), "state.is",
                     {"running", "sleeping", "stopped", "zombie", "gone"});
      break;
    case K::kParent:
      process(true);
      e.is = name("is", true);
      e.at = name("at", false);
      break;
    case K::kReaped:
      process(true);
      e.by = name("by", true);
      break;
    case K::kSignal:
    case K::kNoSignal: {
      const std::string what = t.tag;
      if (e.kind == K::kSignal)
        e.sig = r.Signal(m.Require("sig"), what + ".sig");
      else if (auto s = m.Get("sig"))
        e.sig = r.Signal(*s, what + ".sig");
      e.from = name("from", false);
      e.to = name("to", e.kind == K::kSignal);
      if (e.kind == K::kSignal) {
        if (auto o = m.Get("outcome"))
          e.outcome = ParseOutcome(r.OneOf(
              *o, "signal.outcome", {"handled", "ignored", "killed", "stopped", "continued"}));
        if (auto c = m.Get("count")) e.count = ReadRange(r, *c, "signal.count");
        reply();
      }
      break;
    }
    case K::kOutput:
    case K::kNoOutput: {
      const std::string what = t.tag;
      if (const DocNode* p = e.kind == K::kOutput ? &m.Require("match") : m.Get("match")) {
        e.pattern = r.Pattern(*p, what + ".match");
        e.Remember("match", r.Where(*p));
      }
      e.by = name("by", false);
      e.stream = ReadStream(r, m);
      if (e.kind == K::kOutput) {
        if (auto c = m.Get("count")) e.count = ReadRange(r, *c, "output.count");
        if (auto w = m.Get("writers")) e.writers = ReadRange(r, *w, "output.writers");
        reply();
      }
      break;
    }
    case K::kPid: {
      process(true);
      const DocNode& n = m.Require("is");
      e.pid = r.Int(n, "pid.is");
      if (e.pid < 1) r.Fail(n, "a pid is a positive number");
      break;
    }
    case K::kProcesses: {
      Expectation::ProcessCounts c;
      if (auto x = m.Get("max_alive")) {
        c.max_alive = ReadRange(r, *x, "processes.max_alive");
        if (x->IsScalar()) c.max_alive.min.reset();  // "max_alive: 4" is a ceiling
      }
      if (auto x = m.Get("total")) c.total = ReadRange(r, *x, "processes.total");
      if (auto x = m.Get("distinct")) c.distinct = ReadRange(r, *x, "processes.distinct");
      if (c.max_alive.empty() && c.total.empty() && c.distinct.empty())
        r.Fail(v, "processes needs max_alive, total or distinct");
      e.counts = std::make_shared<const Expectation::ProcessCounts>(c);
      break;
    }
    case K::kDuration:
      process(false);
      if (auto stats = ReadStatBounds(r, m, "duration", StatSyntax::kDuration); !stats.empty()) {
        auto check = std::make_shared<ResourceCheck>();
        check->stats = std::move(stats);
        e.resources = std::move(check);
      }
      if (auto x = PerRunBound(m, "min")) e.min_us = r.Duration(*x, "duration.min");
      if (auto x = PerRunBound(m, "max")) e.max_us = r.Duration(*x, "duration.max");
      m.Done();  // a misspelt statistic is the mistake to name
      if (!e.min_us && !e.max_us && e.Stats().empty())
        r.Fail(v,
               "duration needs min and/or max, or a statistic across repeats (median: {max: "
               "200ms})");
      break;
    case K::kFiles: ReadFiles(r, m, &e); break;
    case K::kCpu:
    case K::kParallelism:
    case K::kRss: ReadResources(r, m, &e); break;
    case K::kValue: ReadValue(r, m, &e, measured); break;
    case K::kCompare: ReadCompare(r, m, &e, measured); break;
    case K::kSections: ReadSections(r, m, &e); break;
    default: break;
  }
  m.Done();
  return e;
}

}  // namespace

std::optional<Stream> ReadStream(const Reader& r, Map& m) {
  auto v = m.Get("stream");
  if (!v) return std::nullopt;
  return r.OneOf(*v, "stream", {"stdout", "stderr"}) == "stdout" ? Stream::kStdout
                                                                 : Stream::kStderr;
}

IntRange ReadRange(const Reader& r, const DocNode& v, const std::string& what) {
  if (v.IsScalar()) return IntRange::Exactly(r.Int(v, what));
  Map m(r, v, what);
  IntRange range;
  if (auto x = m.Get("min")) range.min = r.Int(*x, what + ".min");
  if (auto x = m.Get("max")) range.max = r.Int(*x, what + ".max");
  m.Done();
  if (range.empty()) r.Fail(v, fmt::format("{} needs a number, or min and/or max", what));
  if (range.min && range.max && *range.min > *range.max)
    r.Fail(v, fmt::format("{}: min is more than max", what));
  return range;
}

std::vector<Expectation> ReadExpectations(const Reader& r, const DocNode& node,
                                          const MeasuredNames& measured) {
  if (!node.IsList()) r.Fail(node, "expect is a list: one '- expectation' per line");
  std::vector<Expectation> out;
  out.reserve(node.items().size());
  for (const DocNode* item : node.items()) out.push_back(ReadOne(r, *item, measured));
  return out;
}

}  // namespace proclab::doc
