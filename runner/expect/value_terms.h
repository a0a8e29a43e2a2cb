// Evaluating arithmetic on measured names (measure.h, number_expr.h) against
// a run's values: what each name stands for, and why one has no value. The
// `value` bounds and both sides of `compare` share it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/expect/measured.h"
#include "runner/scenario/number_expr.h"

namespace proclab::expect {

class ValueTerms {
 public:
  ValueTerms(const Scenario& s, const Names& names, const MeasuredValues& values, int cpus)
      : s_(s), names_(names), values_(values), cpus_(cpus) {}

  // Why `x` cannot be evaluated (a name without values, `cpus` unknown);
  // nullopt when it can. `evidence` receives the events of the values it reads.
  std::optional<std::string> Missing(const NumberExpr& x, std::vector<size_t>* evidence) const;
  // What the evaluator is asked for: "cpus", "x" (its last value), "median(x)".
  [[nodiscard]] double Lookup(const std::string& key) const;
  [[nodiscard]] double Eval(const NumberExpr& x) const {
    return x.Eval([this](const std::string& key) { return Lookup(key); });
  }
  // "serial = 2 (the last of 1 value: 2 by main (pid 2) at 0.100s); cpus = 2"
  [[nodiscard]] std::string Describe(const NumberExpr& x) const;

 private:
  static std::string NameIn(const std::string& key);  // "median(x)" -> "x"
  const Scenario& s_;
  const Names& names_;
  const MeasuredValues& values_;
  int cpus_;
};

}  // namespace proclab::expect
