// Roles that follow behaviour, not position: a scenario may list several
// role assignments (a driver that is the parent, or the child). The run is
// judged under each, and the assignment that earns the most points counts;
// ties go to the one listed first.
#pragma once

#include <string>
#include <vector>

#include "runner/expect/script_judge.h"
#include "runner/expect/verdict.h"
#include "runner/scenario/scenario.h"
#include "runner/timeline/timeline.h"

namespace proclab {

struct RoleChoice {
  std::vector<Verdict> verdicts;  // under the chosen assignment
  int chosen = 0;                 // 0: `roles` (the first listed), i: alternative_roles[i-1]
  int assignments = 1;
  // Empty with one assignment; else "judged with role assignment 2 of 2
  // (conductor: main; driver: child of conductor), which earned the most
  // points (3 of 4; assignment 1 earned 1)".
  std::string note;
};

RoleChoice JudgeBestRoles(const Scenario& s, const Timeline& t,
                          const ScriptJudge* scripts = nullptr);

// What the verdicts earn of the scenario's points: written expectations
// with `points:` take them, the others share what is left evenly, as
// grading scores them.
double EarnedPoints(const Scenario& s, const std::vector<Verdict>& verdicts);

}  // namespace proclab
