// What the resource expectations ask: `cpu`, `parallelism`, `rss`
// (docs/design.md §3.10.2). Boxed in the Expectation, which most
// expectations leave empty.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "runner/scenario/event_name.h"
#include "runner/scenario/number_expr.h"
#include "runner/scenario/repeat_stat.h"

namespace proclab {

struct ResourceCheck {
  // cpu: seconds of CPU; parallelism: CPU seconds per wall second. Either
  // may name `cpus`, the number of CPUs the run was granted.
  std::optional<NumberExpr> min, max;
  bool children = false;                      // cpu: the process's descendants too
  int64_t max_rss_kb = 0;                     // rss: its peak resident memory, at most this
  std::shared_ptr<const EventName> from, to;  // parallelism: the window (none: the run)
  // Statistics across repeats (repeat_stat.h), of these and of `duration`,
  // which has a ResourceCheck only for them.
  std::vector<StatBound> stats;
};

}  // namespace proclab
