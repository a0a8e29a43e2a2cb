#include "runner/expect/value_terms.h"

#include <fmt/format.h>

#include <cmath>

namespace proclab::expect {

std::string ValueTerms::NameIn(const std::string& key) {
  const size_t open = key.find('(');
  if (open == std::string::npos || key.back() != ')') return key;
  return key.substr(open + 1, key.size() - open - 2);
}

std::optional<std::string> ValueTerms::Missing(const NumberExpr& x,
                                               std::vector<size_t>* evidence) const {
  for (const std::string& key : x.lookups()) {
    if (key == "cpus") {
      if (cpus_ == 0)
        return "the trace does not say how many CPUs the run had, so 'cpus' has no value";
      continue;
    }
    const std::string name = NameIn(key);
    const auto* vs = values_.Find(name);
    if (!vs && !key.starts_with("count(")) return WhyNoValue(s_, names_, values_, name);
    if (vs && evidence)
      for (const auto& v : *vs) evidence->push_back(v.event);
  }
  return std::nullopt;
}

double ValueTerms::Lookup(const std::string& key) const {
  if (key == "cpus") return cpus_;
  const std::string name = NameIn(key);
  static const std::vector<MeasuredValue> kNone;
  const auto* vs = values_.Find(name);
  if (name == key) return vs ? vs->back().value : NAN;
  return Statistic(vs ? *vs : kNone, key.substr(0, key.find('('))).value_or(NAN);
}

std::string ValueTerms::Describe(const NumberExpr& x) const {
  std::string out;
  for (const std::string& key : x.lookups()) {
    out += out.empty() ? "" : "; ";
    if (key == "cpus") {
      out += fmt::format("cpus = {}", cpus_);
      continue;
    }
    const std::string name = NameIn(key);
    const auto* vs = values_.Find(name);
    const size_t n = vs ? vs->size() : 0;
    out += fmt::format("{} = {}", key, FormatNumber(Lookup(key)));
    if (name == key && vs)
      out += fmt::format(" (the last of {} value{}: {})", n, n == 1 ? "" : "s",
                         DescribeValue(names_, vs->back()));
    else
      out += fmt::format(" (over {} value{})", n, n == 1 ? "" : "s");
  }
  return out;
}

}  // namespace proclab::expect
