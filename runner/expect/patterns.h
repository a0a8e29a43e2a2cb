// Output patterns as scenarios write them: a regex where {pid:NAME} and
// {ppid:NAME} stand for the real pid of NAME and of its parent, so a program
// that prints its pid is checked against what really happened.
#pragma once

#include <optional>
#include <string>

#include "runner/base/regex.h"
#include "runner/scenario/names.h"

namespace proclab {

// The regex with placeholders replaced (alternatives when a name means
// several processes). nullopt when a name has no process (yet); `missing`
// then says which.
// `bindings` (optional) receives "{pid:child} = 3" phrases for messages.
std::optional<Regex> ExpandPattern(const std::string& pattern, const Names& names,
                                   std::string* missing = nullptr, std::string* bindings = nullptr);

// Whether output event `e` (at `index` in the timeline) is one `by` (a name,
// "" = anyone) wrote on `stream`.
bool WrittenBy(const Event& e, size_t index, const std::string& by,
               const std::optional<Stream>& stream, const Names& names);

// The last `n` output lines before `end` (an index into the events), quoted
// with their writers — what a failure message shows of what did happen.
std::string OutputTail(const Names& names, size_t end, int n = 5);

}  // namespace proclab
