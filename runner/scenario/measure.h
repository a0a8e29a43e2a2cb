// Values a run measures (docs/design.md §3.10.3): numbers its programs print
// (`measure:`, a scenario-level declaration) or that Lua actors record
// (`lab.measure`), and what the `value`, `compare` and `sections`
// expectations ask of them. Boxed in the Expectation, which most leave empty.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/scenario/number_expr.h"

namespace proclab {

// `measure: {name, match: "cpu (?<value>[0-9.]+)", by?}`: every output line
// that `match` finds (by a process called `by`, when given) gives `name` the
// number its group `value` captured. Without `match` the name is only
// declared: Lua actors record it with lab.measure.
struct Measure {
  std::string name;
  std::string pattern;  // with a named group `value`; "" for a declared name
  std::string by;
  SourceLoc loc, by_loc;
};

// The statistics a `value: {stat}` or a compare expression may take of a
// name's values: last, sum, min, max, median, mean, count.
const std::vector<std::string>& ValueStats();

// `value: {name, min?, max?, stat?}`: each value of `name` (or the one
// statistic `stat` picks) lies within [min, max]. The bounds are arithmetic
// on `cpus` and measured names, as compare's sides are.
struct ValueCheck {
  std::string name;
  std::string stat;  // "": each value
  std::optional<NumberExpr> min, max;
};

// `compare: {left, op, right}`: arithmetic on measured names (a bare name
// is its last value; `median(name)` etc. pick another statistic).
struct CompareCheck {
  NumberExpr left, right;
  std::string op;  // < <= > >= ==
};

// `sections: {enter, leave, by?, max_inside}`: from a writer's enter line to
// its next leave line it is inside; at most `max_inside` writers may be
// inside at once.
struct SectionsCheck {
  std::string enter, leave;  // regexes
  std::string by;
  int max_inside = 1;
};

}  // namespace proclab
