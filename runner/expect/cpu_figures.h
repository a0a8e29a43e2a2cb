// CPU figures of a run, from its timeline alone: how much CPU a process had
// used at an event (its exit figures once it has exited, else the lab's
// reading at that event), and how many CPUs the run was granted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "runner/timeline/timeline.h"

namespace proclab::expect {

// The number of CPUs the run's processes were granted; 0 when the trace
// does not say (written before it did).
int GrantedCpus(const Timeline& t);

// What `rec` had used by event `index` (SIZE_MAX: the end of the run), in
// microseconds: 0 before its birth, its exit figures from its exit on, the
// lab's reading at the event in between. nullopt, with `why`, when the trace
// has no figure for it there (it is never interpolated).
std::optional<int64_t> CpuAt(const Timeline& t, const ProcessRecord& rec, size_t index,
                             std::string* why);

// Processes that widened their affinity past the run's grant (pinned
// without a cpuset): "worker (pid 3) widened its affinity to 0-3".
std::string WidenedNote(const Timeline& t);

}  // namespace proclab::expect
