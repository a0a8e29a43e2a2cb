// `cpu: {process?, min?, max?, children?}`, `parallelism: {from?, to?, min?,
// max?}`, `rss: {process, max}`: what a run used (docs/design.md §3.10.2);
// each also takes statistics across repeats (read_stats.cc).
#include <fmt/format.h>

#include "runner/scenario/read_parts.h"

namespace proclab::doc {
namespace {

using K = Expectation::Kind;

std::shared_ptr<const EventName> ReadBound(const Reader& r, const DocNode& v,
                                           const std::string& what) {
  auto event = ParseEventName(r.String(v, what));
  if (!event) r.Fail(v, event.error().message);
  if (event->kind == EventName::Kind::kKey)
    r.Fail(v, what + ": a key press is a step, not an event of the timeline");
  event->loc = r.Where(v);
  return std::make_shared<const EventName>(std::move(*event));
}

}  // namespace

// A number field that may be arithmetic on `cpus`. A mistake points at its
// column within the value (exact for a plain scalar; a quoted one starts a
// column later).
NumberExpr ReadNumberExpr(const Reader& r, const DocNode& v, const std::string& what,
                          bool seconds) {
  const std::string text = r.String(v, what);
  NumberExpr::ParseError err;
  auto e = NumberExpr::Parse(text, {seconds, {"cpus"}}, &err);
  if (!e) {
    SourceLoc at = r.Where(v);
    if (at.column > 0) at.column += static_cast<int>(err.at);
    throw LoadError(Error(fmt::format("{}: '{}' {}", what, text, err.message), at));
  }
  if (seconds && !e->has_unit())
    r.Fail(v, fmt::format("{}: '{}' has no unit; CPU time is a duration, e.g. 1.5s or "
                          "0.5s * cpus",
                          what, text));
  return std::move(*e);
}

void ReadResources(const Reader& r, Map& m, Expectation* e) {
  const std::string tag = e->kind == K::kCpu ? "cpu" : e->kind == K::kRss ? "rss" : "parallelism";
  auto check = std::make_shared<ResourceCheck>();
  auto name = [&](const char* key, bool required) {
    const DocNode* n = required ? &m.Require(key) : m.Get(key);
    if (!n) return std::string();
    e->Remember(key, r.Where(*n));
    return r.String(*n, tag + "." + key);
  };
  check->stats = ReadStatBounds(r, m, tag,
                                e->kind == K::kRss   ? StatSyntax::kSize
                                : e->kind == K::kCpu ? StatSyntax::kCpuTime
                                                     : StatSyntax::kRatio);
  if (e->kind == K::kRss) {
    e->process = name("process", true);
    const DocNode* max = PerRunBound(m, "max");
    m.Done();  // a misspelt statistic is the mistake to name
    if (!max && check->stats.empty()) max = &m.Require("max");
    if (max) {
      e->Remember("max", r.Where(*max));
      const int64_t bytes = r.Size(*max, "rss.max");
      if (bytes < 1024) r.Fail(*max, "rss.max is a size of at least 1KiB, e.g. 64MiB");
      check->max_rss_kb = bytes / 1024;
    }
    e->resources = std::move(check);
    return;
  }
  const bool seconds = e->kind == K::kCpu;
  if (e->kind == K::kCpu) {
    e->process = name("process", false);
    if (auto c = m.Get("children")) check->children = r.Bool(*c, "cpu.children");
    if (check->children && e->process.empty())
      r.Fail(*m.Get("children"),
             "cpu.children goes with process: without it, every process of the run counts");
  } else {
    for (const char* key : {"from", "to"})
      if (auto b = m.Get(key)) {
        e->Remember(key, r.Where(*b));
        (key[0] == 'f' ? check->from : check->to) = ReadBound(r, *b, tag + "." + key);
      }
  }
  for (const char* key : {"min", "max"})
    if (auto x = PerRunBound(m, key)) {
      e->Remember(key, r.Where(*x));
      (key[1] == 'i' ? check->min : check->max) = ReadNumberExpr(r, *x, tag + "." + key, seconds);
    }
  m.Done();
  if (!check->min && !check->max && check->stats.empty())
    r.Fail(m.node(),
           fmt::format("{} needs min and/or max, or a statistic across repeats (median: {{max: "
                       "…}})",
                       tag));
  e->resources = std::move(check);
}

}  // namespace proclab::doc
