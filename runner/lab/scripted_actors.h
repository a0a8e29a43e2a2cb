// Actors whose body is code in the scenario's script (Lua functions). The
// lab runs them inside their forked, traced process through this seam; the
// built-in actors run in actor_runtime.h.
#pragma once

#include "runner/scenario/scenario.h"

namespace proclab {

class ScriptedActors {
 public:
  virtual ~ScriptedActors() = default;
  // Runs `actor` of `s` in the calling (forked) process and returns its exit
  // status.
  [[nodiscard]] virtual int Run(const Scenario& s, const Actor& actor) const = 0;
};

}  // namespace proclab
