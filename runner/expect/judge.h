// Judging a run: every expectation of the scenario (plus no_leaks and
// no_zombies unless it opts out) against the timeline of that run.
#pragma once

#include <functional>
#include <vector>

#include "runner/expect/verdict.h"
#include "runner/scenario/scenario.h"
#include "runner/timeline/timeline.h"

namespace proclab {

// Judges `lua:` expectations (scripting/); absent, they fail saying so.
using LuaJudge = std::function<Verdict(const Scenario&, const Expectation&, const Timeline&)>;

std::vector<Verdict> Judge(const Scenario& s, const Timeline& t, const LuaJudge& lua = {});

}  // namespace proclab
