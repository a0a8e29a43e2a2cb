// `value` and `compare`: bounds and comparisons on the values a run measured.
#include "runner/expect/check_values.h"

#include <fmt/format.h>

#include <cmath>

#include "runner/expect/cpu_figures.h"
#include "runner/expect/measured.h"

namespace proclab::expect {
namespace {

constexpr size_t kShown = 5;  // values quoted in an explanation

// A bound's value, or why it has none.
std::optional<double> Bound(const Timeline& t, const NumberExpr& x, std::string* why) {
  const int cpus = GrantedCpus(t);
  if (x.uses("cpus") && cpus == 0) {
    *why = "the trace does not say how many CPUs the run had, so 'cpus' has no value";
    return std::nullopt;
  }
  const double v = x.Eval([&](const std::string&) { return static_cast<double>(cpus); });
  if (!std::isfinite(v)) {
    *why = fmt::format("'{}' has no value (a division by zero)", x.text());
    return std::nullopt;
  }
  return v;
}

std::string ShownBound(const NumberExpr& x, double v) {
  return x.uses("cpus") ? fmt::format("{} = {}", x.text(), FormatNumber(v)) : FormatNumber(v);
}

std::string List(const Names& names, const std::vector<const MeasuredValue*>& values) {
  std::string out;
  for (size_t i = 0; i < values.size() && i < kShown; ++i)
    out += (i ? "; " : "") + DescribeValue(names, *values[i]);
  if (values.size() > kShown) out += fmt::format("; and {} more", values.size() - kShown);
  return out;
}

std::vector<size_t> EventsOf(const std::vector<const MeasuredValue*>& values) {
  std::vector<size_t> out;
  for (const auto* v : values) out.push_back(v->event);
  return out;
}

bool Holds(double left, const std::string& op, double right) {
  if (op == "<") return left < right;
  if (op == "<=") return left <= right;
  if (op == ">") return left > right;
  if (op == ">=") return left >= right;
  // "==": equal to within a part in a billion, as printed decimals rarely
  // are exactly the doubles arithmetic makes of them.
  return std::fabs(left - right) <= 1e-9 * std::max({1.0, std::fabs(left), std::fabs(right)});
}

}  // namespace

Verdict CheckValue(const Context& c, const Expectation& e) {
  const ValueCheck& v = *e.value;
  const MeasuredValues all = CollectValues(c.scenario, c.names);
  const auto* values = all.Find(v.name);
  if (!values && v.stat != "count") return Fail(e, WhyNoValue(c.scenario, c.names, all, v.name));
  std::optional<double> min, max;
  std::string why;
  if (v.min && !(min = Bound(c.timeline, *v.min, &why))) return Fail(e, why);
  if (v.max && !(max = Bound(c.timeline, *v.max, &why))) return Fail(e, why);
  auto within = [&](double x) { return (!min || x >= *min) && (!max || x <= *max); };
  auto bounds = [&] {
    if (min && max)
      return fmt::format("between {} and {}", ShownBound(*v.min, *min), ShownBound(*v.max, *max));
    return min ? fmt::format("at least {}", ShownBound(*v.min, *min))
               : fmt::format("at most {}", ShownBound(*v.max, *max));
  };
  std::vector<const MeasuredValue*> every;
  if (values)
    for (const auto& x : *values) every.push_back(&x);
  const size_t n = every.size();
  const std::string of = fmt::format("{} value{} of '{}'", n, n == 1 ? "" : "s", v.name);
  if (!v.stat.empty()) {
    const double s = *Statistic(values ? *values : std::vector<MeasuredValue>{}, v.stat);
    std::string text = fmt::format("the {} of {} is {}, {} {}", v.stat, of, FormatNumber(s),
                                   within(s) ? "which is" : "which is not", bounds());
    if (n) text += fmt::format(" (values: {})", List(c.names, every));
    return within(s) ? Pass(e, text, EventsOf(every)) : Fail(e, text, EventsOf(every));
  }
  std::vector<const MeasuredValue*> broke;
  for (const auto* x : every)
    if (!within(x->value)) broke.push_back(x);
  if (broke.empty())
    return Pass(e, fmt::format("all {} are {} ({})", of, bounds(), List(c.names, every)),
                EventsOf(every));
  if (n == 1)
    return Fail(
        e,
        fmt::format("the one value of '{}' is not {}: {}", v.name, bounds(), List(c.names, broke)),
        EventsOf(broke));
  return Fail(e,
              fmt::format("{} of the {} {} not {}: {}", broke.size(), of,
                          broke.size() == 1 ? "is" : "are", bounds(), List(c.names, broke)),
              EventsOf(broke));
}

Verdict CheckCompare(const Context& c, const Expectation& e) {
  const CompareCheck& k = *e.compare;
  const MeasuredValues all = CollectValues(c.scenario, c.names);
  const int cpus = GrantedCpus(c.timeline);
  std::vector<size_t> evidence;
  // Every name either side reads must have a value (count() may be 0).
  for (const NumberExpr* side : {&k.left, &k.right}) {
    for (const std::string& key : side->lookups()) {
      if (key == "cpus") {
        if (cpus == 0)
          return Fail(e,
                      "the trace does not say how many CPUs the run had, so 'cpus' has no "
                      "value");
        continue;
      }
      const std::string name =
          key.back() == ')' ? key.substr(key.find('(') + 1, key.size() - key.find('(') - 2) : key;
      if (!all.Find(name) && !key.starts_with("count("))
        return Fail(e, WhyNoValue(c.scenario, c.names, all, name));
      if (auto* vs = all.Find(name))
        for (const auto& x : *vs) evidence.push_back(x.event);
    }
  }
  auto lookup = [&](const std::string& key) -> double {
    if (key == "cpus") return cpus;
    const size_t open = key.find('(');
    if (open == std::string::npos || key.back() != ')') {
      auto* vs = all.Find(key);
      return vs ? vs->back().value : NAN;
    }
    const std::string name = key.substr(open + 1, key.size() - open - 2);
    auto* vs = all.Find(name);
    static const std::vector<MeasuredValue> kNone;
    return Statistic(vs ? *vs : kNone, key.substr(0, open)).value_or(NAN);
  };
  // "serial_cpu = 3.2 (last of 1: 3.2 by main (pid 2) at 0.500s)"
  auto terms = [&](const NumberExpr& side) {
    std::string out;
    for (const std::string& key : side.lookups()) {
      if (key == "cpus") {
        out += fmt::format("{}cpus = {}", out.empty() ? "" : "; ", cpus);
        continue;
      }
      const bool bare = key.back() != ')';
      const std::string name =
          bare ? key : key.substr(key.find('(') + 1, key.size() - key.find('(') - 2);
      const auto* vs = all.Find(name);
      const size_t n = vs ? vs->size() : 0;
      out += fmt::format("{}{} = {}", out.empty() ? "" : "; ", key, FormatNumber(lookup(key)));
      if (bare && vs)
        out += fmt::format(" (the last of {} value{}: {})", n, n == 1 ? "" : "s",
                           DescribeValue(c.names, vs->back()));
      else
        out += fmt::format(" (over {} value{})", n, n == 1 ? "" : "s");
    }
    return out;
  };
  const double left = k.left.Eval(lookup), right = k.right.Eval(lookup);
  const std::string sides =
      fmt::format("left '{}' is {}{}{}; right '{}' is {}{}{}", k.left.text(), FormatNumber(left),
                  k.left.lookups().empty() ? "" : " with ", terms(k.left), k.right.text(),
                  FormatNumber(right), k.right.lookups().empty() ? "" : " with ", terms(k.right));
  if (!std::isfinite(left) || !std::isfinite(right))
    return Fail(e, sides + ": a side has no value (a division by zero)", evidence);
  const bool ok = Holds(left, k.op, right);
  std::string text = fmt::format("{}: {} {} {} {}", sides, FormatNumber(left), k.op,
                                 FormatNumber(right), ok ? "holds" : "does not hold");
  return ok ? Pass(e, text, evidence) : Fail(e, text, evidence);
}

}  // namespace proclab::expect
