// A timing expectation with statistics across repeats (design.md §3.10.4):
// its verdict in one run carries the run's figure and the statistics'
// bounds evaluated with this run's values, which results/repeat_stats.h
// judges once every run is in. The per-run verdict applies only the
// kind's own bounds, and says the statistics are judged across the runs.
#pragma once

#include "runner/expect/context.h"

namespace proclab::expect {

void AttachStatBounds(const Context& c, const Expectation& e, Verdict* v);

}  // namespace proclab::expect
