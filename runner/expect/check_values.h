// Checks on measured values: `value`, `compare`, `sections`
// (docs/design.md §3.10.3).
#pragma once

#include "runner/expect/context.h"

namespace proclab::expect {

Verdict CheckValue(const Context& c, const Expectation& e);
Verdict CheckCompare(const Context& c, const Expectation& e);
Verdict CheckSections(const Context& c, const Expectation& e);

}  // namespace proclab::expect
