// Expectations written as code (`lua:` and Lua functions) are judged by the
// scripting layer, which is passed in: the judge itself knows no language.
#pragma once

#include "runner/expect/verdict.h"
#include "runner/scenario/scenario.h"
#include "runner/timeline/timeline.h"

namespace proclab {

class ScriptJudge {
 public:
  virtual ~ScriptJudge() = default;
  // Judges one kLua expectation of `s` against the run's timeline. Never
  // throws: a failing or stuck script is a failed verdict that says so.
  [[nodiscard]] virtual Verdict Judge(const Scenario& s, const Expectation& e,
                                      const Timeline& t) const = 0;
};

}  // namespace proclab
