// `value` and `compare`: bounds and comparisons on the values a run measured.
#include "runner/expect/check_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "runner/expect/cpu_figures.h"
#include "runner/expect/measured.h"
#include "runner/expect/value_terms.h"

namespace proclab::expect {
namespace {

constexpr size_t kShown = 5;  // values quoted in an explanation

// "2", or "0.5 * cpus = 1 (cpus = 2)" when it is more than a number.
std::string ShownBound(const ValueTerms& terms, const NumberExpr& x, double v) {
  if (x.lookups().empty()) return FormatNumber(v);
  return fmt::format("{} = {} ({})", x.text(), FormatNumber(v), terms.Describe(x));
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
  out.reserve(values.size());
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
  const ValueTerms terms(c.scenario, c.names, all, GrantedCpus(c.timeline));
  const auto* values = all.Find(v.name);
  if (!values && v.stat != "count") return Fail(e, WhyNoValue(c.scenario, c.names, all, v.name));
  std::optional<double> min, max;
  for (const auto* bound : {&v.min, &v.max}) {
    if (!*bound) continue;
    if (auto why = terms.Missing(**bound, nullptr)) return Fail(e, *why);
    const double x = terms.Eval(**bound);
    if (!std::isfinite(x))
      return Fail(e, fmt::format("'{}' has no value (a division by zero)", (*bound)->text()));
    (bound == &v.min ? min : max) = x;
  }
  auto within = [&](double x) { return (!min || x >= *min) && (!max || x <= *max); };
  auto bounds = [&] {
    if (min && max)
      return fmt::format("between {} and {}", ShownBound(terms, *v.min, *min),
                         ShownBound(terms, *v.max, *max));
    return min ? fmt::format("at least {}", ShownBound(terms, *v.min, *min))
               : fmt::format("at most {}", ShownBound(terms, *v.max, *max));
  };
  std::vector<const MeasuredValue*> every;
  if (values)
    for (const auto& x : *values) every.push_back(&x);
  const size_t n = every.size();
  const std::string of = fmt::format("{} value{} of '{}'", n, n == 1 ? "" : "s", v.name);
  if (!v.stat.empty()) {
    static const std::vector<MeasuredValue> kNone;
    const double s = *Statistic(values ? *values : kNone, v.stat);
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
  const ValueTerms terms(c.scenario, c.names, all, GrantedCpus(c.timeline));
  std::vector<size_t> evidence;
  for (const NumberExpr* side : {&k.left, &k.right})
    if (auto why = terms.Missing(*side, &evidence)) return Fail(e, *why);
  const double left = terms.Eval(k.left), right = terms.Eval(k.right);
  auto side = [&](const char* which, const NumberExpr& x, double v) {
    std::string out = fmt::format("{} '{}' is {}", which, x.text(), FormatNumber(v));
    if (!x.lookups().empty()) out += " with " + terms.Describe(x);
    return out;
  };
  const std::string sides = side("left", k.left, left) + "; " + side("right", k.right, right);
  if (!std::isfinite(left) || !std::isfinite(right))
    return Fail(e, sides + ": a side has no value (a division by zero)", evidence);
  const bool ok = Holds(left, k.op, right);
  std::string text = fmt::format("{}: {} {} {} {}", sides, FormatNumber(left), k.op,
                                 FormatNumber(right), ok ? "holds" : "does not hold");
  return ok ? Pass(e, text, evidence) : Fail(e, text, evidence);
}

}  // namespace proclab::expect
