// Which CPUs the lab and everything it starts may run on (sched_setaffinity;
// children inherit it). A program may widen its own affinity again unless a
// cpuset holds it (Cgroup::SetCpus); the tracer notices a widened one at its
// exit (trace_stop.h).
#pragma once

#include <vector>

#include "runner/base/error.h"

namespace proclab::os {

// The CPUs the calling process may run on, sorted.
std::vector<int> AllowedCpus();

// Restricts the calling process (and what it forks from now on) to `cpus`.
// Refused, naming them, when none of them is one the caller may use.
Status PinSelf(const std::vector<int>& cpus);

// The CPUs for `--cpus N`: the first N of those the caller may use; for a
// list, the list itself. An error when the caller may use fewer than N, or
// a listed CPU is not one of its own.
Result<std::vector<int>> ChooseCpus(int count, const std::vector<int>& list);

}  // namespace proclab::os
