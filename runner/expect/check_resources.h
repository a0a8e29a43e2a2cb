// What a run used: `cpu`, `parallelism`, `rss` (docs/design.md §3.10.2).
#pragma once

#include "runner/expect/context.h"

namespace proclab::expect {

Verdict CheckCpu(const Context& c, const Expectation& e);
Verdict CheckParallelism(const Context& c, const Expectation& e);
Verdict CheckRss(const Context& c, const Expectation& e);

}  // namespace proclab::expect
