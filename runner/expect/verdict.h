// What an expectation concluded, in words a student can act on.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab {

struct Verdict {
  bool passed = false;
  bool skipped = false;     // could not apply here (counts as passed, and says why)
  std::string expectation;  // as written: "exit: {process: child, code: 7}"
  std::string explanation;  // what really happened, quoting the events that matter
  SourceLoc loc;            // where the expectation is written
  // Where it came from, for grading: only written expectations carry points.
  enum class Origin { kWritten, kAutomatic, kTimeout };
  Origin origin = Origin::kWritten;
  std::optional<double> points;  // `points:` as written; unset: an even share
  // The events it rests on: indices into the timeline's events, as the trace
  // JSON stores them (`events[i]`), ascending. For something that never
  // happened, the events nearest to it: what was sent or printed instead, the
  // moment a reply was awaited from, how the process ended. Empty when no
  // event bears on it (files, a skipped check).
  std::vector<size_t> evidence;
};

}  // namespace proclab
