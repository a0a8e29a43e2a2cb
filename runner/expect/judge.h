// Judging a run: every expectation of the scenario (plus no_leaks and
// no_zombies unless it opts out) against the timeline of that run.
#pragma once

#include <vector>

#include "runner/expect/script_judge.h"
#include "runner/expect/verdict.h"
#include "runner/scenario/scenario.h"
#include "runner/timeline/timeline.h"

namespace proclab {

// `scripts` judges the expectations written as code; without it they fail
// saying so.
std::vector<Verdict> Judge(const Scenario& s, const Timeline& t,
                           const ScriptJudge* scripts = nullptr);

}  // namespace proclab
