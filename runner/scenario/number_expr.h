// Numbers a scenario may write relative to the run: `0.8 * cpus`,
// `(cpus - 1) * 500ms`. A small arithmetic, not Lua: numbers (with a
// duration unit where the field is a time), names the field allows
// (`cpus`), + - * /, parentheses, and `min(a, b, …)`/`max(a, b, …)`.
// Where the field allows measured names (`series`), a bare one stands for
// its last value and `STAT(name)` for a statistic of all of them (`median`,
// `sum`, `mean`, `count`, `last`, and `min`/`max` of one name). Parsed at
// load time, with the column of a mistake; evaluated when the run's values
// are known.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/base/error.h"

namespace proclab {

class NumberExpr {
 public:
  struct Syntax {
    Syntax(bool durations_ = false, std::vector<std::string> names_ = {})
        : durations(durations_), names(std::move(names_)) {}
    bool durations = false;          // `1.5s`, `200ms` are numbers of seconds
    std::vector<std::string> names;  // the names it may use, e.g. {"cpus"}
    // Measured names: each holds a list of values. The evaluator is asked
    // for "NAME" (its last value) or "STAT(NAME)" ("median(x)").
    std::vector<std::string> series;
    bool any_series = false;  // every other word is a measured name (run-time names)
  };
  // A mistake's message, and its offset in `text` (0-based).
  struct ParseError {
    std::string message;
    size_t at = 0;
  };
  static std::optional<NumberExpr> Parse(std::string_view text, const Syntax& syntax,
                                         ParseError* error);
  static NumberExpr Constant(double value);
  // A constant read by another syntax (a duration, a size), shown as written.
  static NumberExpr Constant(double value, std::string text);

  // With each name's value; a name `lookup` does not know is 0.
  [[nodiscard]] double Eval(const std::function<double(const std::string&)>& lookup) const;
  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] bool has_unit() const { return has_unit_; }
  [[nodiscard]] bool uses(const std::string& name) const;
  // The measured names it reads, without repeats, in the order written.
  [[nodiscard]] std::vector<std::string> series() const;
  // What it asks the evaluator for: "cpus", "x", "median(x)", in order.
  [[nodiscard]] std::vector<std::string> lookups() const;
  // "0.8 * cpus" as written; "0.8 * cpus (1.6)" with its value when it names one.
  [[nodiscard]] std::string Describe(const std::function<double(const std::string&)>& lookup,
                                     const std::function<std::string(double)>& format) const;

 private:
  // Postfix code: push a number, push a name's value, or apply an operator.
  struct Op {
    // 'n' number, 'v' name, '+', '-', '*', '/', '~' (negate), 'm' min and
    // 'M' max of the top two
    char kind = 'n';
    double value = 0;
    std::string name;    // 'v': what the evaluator is asked for
    std::string series;  // 'v' of a measured name: that name
  };
  std::vector<Op> code_;
  std::string text_;
  bool has_unit_ = false;
  friend class NumberExprParser;
};

}  // namespace proclab
