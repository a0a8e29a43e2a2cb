// The snapshot a timeout takes before the lab kills: for each live process,
// where it was stuck (docs/design.md §4.4, the `limit` event of kind
// "timeout"). Facts only, read from /proc; what they mean (a deadlock, a
// reader holding its own pipe's write end) is said above the timeline.
#pragma once

#include <vector>

#include "runner/timeline/timeline.h"

namespace proclab {

// Fills the timeout fields of each process in `snapshot` (the supervisor's,
// live processes only): the call it was blocked in and what that call waits
// on, the file locks it held or waited for, and its last event in `t`.
void AddStuckFacts(std::vector<ProcessSnapshot>* snapshot, const Timeline& t);

}  // namespace proclab
