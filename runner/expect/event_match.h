// Finding what an event name (scenario/event_name.h) denotes in a timeline.
// The default occurrence is the first, except `exit X` and `reap X`, which
// mean every X and denote the last one (and exist only once every X has
// it); `#N` picks the N-th occurrence in timeline order across every process
// the name means.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "runner/expect/context.h"
#include "runner/scenario/event_name.h"

namespace proclab::expect {

// Indexes (into the timeline's events) of every event `name` matches, in
// order, ignoring its occurrence. Empty with `why` set when a name or a
// placeholder resolves to nothing.
std::vector<size_t> Occurrences(const Context& c, const EventName& name, std::string* why);

// The one event `name` denotes, or nullopt with the reason it never happened.
std::optional<size_t> FindEvent(const Context& c, const EventName& name, std::string* never);

// For an event that never happened: the nearest relevant ones, as evidence.
// Every occurrence of it (too few, or the wrong one for `#N`); else events of
// its kind by anyone (another signal, a line that did not match is not
// searched: the kind's other events); else how its process ended.
std::vector<size_t> NearestTo(const Context& c, const EventName& name);

}  // namespace proclab::expect
