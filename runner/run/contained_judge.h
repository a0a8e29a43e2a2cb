// A ScriptJudge that runs another one in a forked copy of the runner
// (os/contained_call.h): a Lua expectation that loops inside a C function,
// exhausts memory or crashes fails itself, with the reason, and the suite
// goes on. The wrapped judge still bounds its own time and memory; this is
// the watchdog behind those bounds.
#pragma once

#include <cstdint>

#include "runner/expect/script_judge.h"

namespace proclab {

class ContainedJudge : public ScriptJudge {
 public:
  explicit ContainedJudge(const ScriptJudge& inner, int64_t limit_us = 10'000'000)
      : inner_(inner), limit_us_(limit_us) {}
  [[nodiscard]] Verdict Judge(const Scenario& s, const Expectation& e,
                              const Timeline& t) const override;

 private:
  const ScriptJudge& inner_;
  int64_t limit_us_;
};

}  // namespace proclab
