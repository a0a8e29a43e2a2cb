// User-facing errors with their place in a file:
//   scenarios/zombie.yaml:14:7: error: unknown key 'exitcode'; did you mean 'code'?
//      14 |       exitcode: 7
//         |       ^
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runner/base/error.h"

namespace proclab {

// The error with its source line and a caret under the column. `source` is
// the whole text of loc.file (empty: read it from disk).
std::string RenderDiagnostic(const Error& error, std::string_view source = {});

// The candidate closest to `word` by edit distance, if it is close enough to
// be a plausible typo; empty otherwise.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace proclab
