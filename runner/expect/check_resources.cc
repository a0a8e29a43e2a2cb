#include "runner/expect/check_resources.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "runner/base/units.h"
#include "runner/expect/cpu_figures.h"
#include "runner/expect/event_match.h"

namespace proclab::expect {
namespace {

// The value of `cpus` in a bound; nullopt with a reason when the bound
// names it and the trace does not say.
struct Bounds {
  std::optional<double> min, max;
  std::string error;
};

Bounds Evaluate(const Timeline& t, const ResourceCheck& r) {
  Bounds b;
  const int cpus = GrantedCpus(t);
  auto lookup = [&](const std::string&) { return static_cast<double>(cpus); };
  for (const auto* x : {&r.min, &r.max}) {
    if (!*x) continue;
    if ((*x)->uses("cpus") && cpus == 0) {
      b.error = "the trace does not say how many CPUs the run had, so 'cpus' has no value";
      return b;
    }
    const double v = (*x)->Eval(lookup);
    if (!std::isfinite(v)) {
      b.error = fmt::format("'{}' has no value (a division by zero)", (*x)->text());
      return b;
    }
    (x == &r.min ? b.min : b.max) = v;
  }
  return b;
}

std::string Bound(const NumberExpr& x, double value, bool seconds) {
  std::string shown =
      seconds ? FormatSeconds(std::llround(value * 1e6)) + "s" : fmt::format("{:.2f}", value);
  if (x.uses("cpus")) return fmt::format("{} = {}", x.text(), shown);
  return shown;
}

// Whether `rec` descends from one of `roots` (by parent at birth).
bool Descends(const Names& names, const ProcessRecord& rec, const std::set<int>& roots) {
  // A parent was born before its child: ids fall, so the walk ends.
  for (const ProcessRecord* at = &rec; at;) {
    if (roots.count(at->id)) return true;
    const ProcessRecord* parent = names.RecordAt(at->ppid, at->first_event);
    if (parent && parent->id >= at->id) return false;
    at = parent;
  }
  return false;
}

// "main (pid 2) 1.2s, worker (pid 3) 0.9s and 2 others"
std::string Largest(const Names& names,
                    std::vector<std::pair<int64_t, const ProcessRecord*>> used) {
  std::sort(used.begin(), used.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  const size_t shown = std::min<size_t>(used.size(), 3);
  for (size_t i = 0; i < shown; ++i)
    out += fmt::format("{}{} {}s", i == 0 ? "" : ", ", names.Label(*used[i].second),
                       FormatSeconds(used[i].first));
  if (used.size() > shown)
    out += fmt::format(" and {} other{}", used.size() - shown, used.size() - shown == 1 ? "" : "s");
  return out;
}

// The verdict with the figure it judged, for statistics across repeats.
Verdict Measure(Verdict v, double value, const char* unit) {
  v.measured = Measured{value, unit, {}};
  return v;
}

}  // namespace

Verdict CheckCpu(const Context& c, const Expectation& e) {
  const ResourceCheck& r = *e.resources;
  const Bounds b = Evaluate(c.timeline, r);
  if (!b.error.empty()) return Fail(e, b.error);
  std::vector<const ProcessRecord*> which;
  std::string what = "the run's processes";
  if (e.process.empty()) {
    for (const auto& rec : c.names.records()) which.push_back(&rec);
  } else {
    which = c.names.ResolveRecords(e.process);
    if (which.empty()) return Fail(e, c.Missing(e.process));
    what = which.size() == 1 ? c.names.Label(*which.front())
                             : fmt::format("the {} processes called {}", which.size(), e.process);
    if (r.children) {
      std::set<int> roots;
      for (const auto* rec : which) roots.insert(rec->id);
      for (const auto& rec : c.names.records())
        if (!roots.count(rec.id) && Descends(c.names, rec, roots)) which.push_back(&rec);
      what += " and their descendants";
    }
  }
  int64_t total = 0;
  std::vector<std::pair<int64_t, const ProcessRecord*>> used;
  for (const auto* rec : which) {
    std::string why;
    auto us = CpuAt(c.timeline, *rec, SIZE_MAX, &why);
    if (!us) return Fail(e, why);
    total += *us;
    used.emplace_back(*us, rec);
  }
  std::string said = fmt::format("{} used {}s of CPU", what, FormatSeconds(total));
  if (used.size() > 1) said += fmt::format(" ({})", Largest(c.names, used));
  said += WidenedNote(c.timeline);
  const double seconds = static_cast<double>(total) / 1e6;
  return Measure(b.min && seconds < *b.min
                     ? Fail(e, fmt::format("{}, less than {}", said, Bound(*r.min, *b.min, true)))
                 : b.max && seconds > *b.max
                     ? Fail(e, fmt::format("{}, more than {}", said, Bound(*r.max, *b.max, true)))
                     : Pass(e, said),
                 seconds, "s");
}

Verdict CheckParallelism(const Context& c, const Expectation& e) {
  const ResourceCheck& r = *e.resources;
  const Bounds b = Evaluate(c.timeline, r);
  if (!b.error.empty()) return Fail(e, b.error);
  const Timeline& t = c.timeline;
  size_t from = SIZE_MAX, to = SIZE_MAX;
  int64_t t0 = 0, t1 = t.summary.end_us;
  std::string window = "over the whole run";
  if (r.from) {
    std::string never;
    auto i = FindEvent(c, *r.from, &never);
    if (!i)
      return Fail(e,
                  fmt::format("the window's start '{}' never happened: {}", r.from->text, never));
    from = *i;
    t0 = t.events()[from].t_us;
  }
  if (r.to) {
    std::string never;
    auto i = FindEvent(c, *r.to, &never);
    if (!i)
      return Fail(e, fmt::format("the window's end '{}' never happened: {}", r.to->text, never));
    to = *i;
    t1 = t.events()[to].t_us;
  }
  if (r.from || r.to)
    window = fmt::format(
        "from {} to {}",
        r.from ? fmt::format("'{}' at {}s", r.from->text, FormatSeconds(t0))
               : std::string("the start"),
        r.to ? fmt::format("'{}' at {}s", r.to->text, FormatSeconds(t1)) : std::string("the end"));
  if (from != SIZE_MAX && to != SIZE_MAX && to <= from)
    return Fail(
        e, fmt::format("the window is empty: '{}' came before '{}'", r.to->text, r.from->text));
  const int64_t wall = t1 - t0;
  if (wall <= 0) return Fail(e, fmt::format("the window {} lasted no time", window));
  int64_t total = 0;
  std::vector<std::pair<int64_t, const ProcessRecord*>> used;
  for (const auto& rec : c.names.records()) {
    std::string why;
    // Born after the window or gone before it: nothing in it.
    if (to != SIZE_MAX && rec.first_event >= to) continue;
    if (from != SIZE_MAX && rec.exit_event != SIZE_MAX && rec.exit_event < from) continue;
    auto a = from == SIZE_MAX ? std::optional<int64_t>(0) : CpuAt(t, rec, from, &why);
    auto z = a ? CpuAt(t, rec, to, &why) : std::nullopt;
    if (!a || !z)
      return Fail(e, fmt::format("no CPU figure to judge the window {} by: {}", window, why));
    if (*z > *a) {
      total += *z - *a;
      used.emplace_back(*z - *a, &rec);
    }
  }
  const double ratio = static_cast<double>(total) / static_cast<double>(wall);
  const int cpus = GrantedCpus(t);
  std::string said = fmt::format(
      "{} ({}s), the processes used {}s of CPU: parallelism {:.2f}{}", window, FormatSeconds(wall),
      FormatSeconds(total), ratio,
      cpus > 0 ? fmt::format(" on {} CPU{}", cpus, cpus == 1 ? "" : "s") : std::string());
  if (!used.empty()) said += fmt::format(" ({})", Largest(c.names, used));
  said += WidenedNote(t);
  return Measure(b.min && ratio < *b.min
                     ? Fail(e, fmt::format("{}, less than {}", said, Bound(*r.min, *b.min, false)))
                 : b.max && ratio > *b.max
                     ? Fail(e, fmt::format("{}, more than {}", said, Bound(*r.max, *b.max, false)))
                     : Pass(e, said),
                 ratio, "");
}

Verdict CheckRss(const Context& c, const Expectation& e) {
  const ResourceCheck& r = *e.resources;
  auto which = c.names.ResolveRecords(e.process);
  if (which.empty()) return Fail(e, c.Missing(e.process));
  std::string said;
  int64_t peak_kb = 0;  // the figure across repeats: the highest peak
  for (const auto* rec : which)
    if (rec->usage) peak_kb = std::max(peak_kb, rec->usage->max_rss_kb);
  for (const auto* rec : which) {
    if (!rec->usage)
      return Fail(e, fmt::format("{} has no memory figures ({})", c.names.Label(*rec),
                                 rec->exit ? "the trace was written before proclab recorded them"
                                           : "it never exited"));
    const std::string peak =
        fmt::format("{} peaked at {} resident{}", c.names.Label(*rec),
                    FormatSize(rec->usage->max_rss_kb * 1024),
                    rec->usage->max_rss_with_children
                        ? " (or a child it reaped did: the kernel keeps one peak for both)"
                        : "");
    // No `max` (only statistics across repeats): no per-run bound.
    if (r.max_rss_kb > 0 && rec->usage->max_rss_kb > r.max_rss_kb)
      return Measure(
          Fail(e, fmt::format("{}, more than {}", peak, FormatSize(r.max_rss_kb * 1024))),
          static_cast<double>(peak_kb) * 1024, "B");
    said += (said.empty() ? "" : "; ") + peak;
  }
  return Measure(Pass(e, said), static_cast<double>(peak_kb) * 1024, "B");
}

}  // namespace proclab::expect
