// `median: {max: 200ms}`, `p90: {max: 1.5s}`, `min: {min: 0.8 * cpus}`: bounds
// on a statistic of a timing figure across --repeat runs (design.md
// §3.10.4). `min` and `max` are also the kinds' own per-run bounds: a scalar
// is that, a mapping is the statistic.
#include <fmt/format.h>

#include "runner/scenario/read_parts.h"

namespace proclab::doc {
namespace {

NumberExpr ReadStatValue(const Reader& r, const DocNode& v, const std::string& what,
                         StatSyntax syntax) {
  switch (syntax) {
    case StatSyntax::kDuration: {
      const int64_t us = r.Duration(v, what);
      return NumberExpr::Constant(static_cast<double>(us) / 1e6, r.String(v, what));
    }
    case StatSyntax::kSize: {
      const int64_t bytes = r.Size(v, what);
      return NumberExpr::Constant(static_cast<double>(bytes), r.String(v, what));
    }
    case StatSyntax::kCpuTime: return ReadNumberExpr(r, v, what, true);
    case StatSyntax::kRatio: return ReadNumberExpr(r, v, what, false);
  }
  return NumberExpr::Constant(0);
}

}  // namespace

const DocNode* PerRunBound(Map& m, const char* key) {
  const DocNode* n = m.Get(key);
  return n && !n->IsMap() ? n : nullptr;
}

std::vector<StatBound> ReadStatBounds(const Reader& r, Map& m, const std::string& tag,
                                      StatSyntax syntax) {
  std::vector<StatBound> out;
  for (const std::string& name : RepeatStatNames()) {
    const DocNode* n = m.Get(name);
    if (!n) continue;
    const bool own_bound = name == "min" || name == "max";
    if (own_bound && !n->IsMap()) continue;  // the kind's per-run bound
    std::string what = tag;
    what += ".";
    what += name;
    if (!n->IsMap())
      r.Fail(*n, fmt::format("{} is a statistic across repeats: write it as {{min: …, max: …}}, "
                             "e.g. {}: {{max: {}}}",
                             what, name,
                             syntax == StatSyntax::kSize      ? "64MiB"
                             : syntax == StatSyntax::kRatio   ? "1.3"
                             : syntax == StatSyntax::kCpuTime ? "0.5s"
                                                              : "200ms"));
    StatBound b;
    for (size_t i = 0; i < RepeatStatNames().size(); ++i)
      if (RepeatStatNames()[i] == name) b.stat = static_cast<RepeatStat>(i);
    b.loc = r.Where(*n);
    Map bounds(r, *n, what);
    if (auto x = bounds.Get("min")) b.min = ReadStatValue(r, *x, what + ".min", syntax);
    if (auto x = bounds.Get("max")) b.max = ReadStatValue(r, *x, what + ".max", syntax);
    bounds.Done();
    if (!b.min && !b.max) r.Fail(*n, fmt::format("{} needs min and/or max", what));
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace proclab::doc
