// The code behind a scenario written in a scripting language (Lua): its
// actors' bodies and its expectations written as functions. The model only
// holds it; scripting/ gives it meaning through the seams the layers above
// declare (ScriptedActors in lab/, ScriptJudge in expect/).
#pragma once

namespace proclab {

class ScenarioScript {
 public:
  virtual ~ScenarioScript() = default;
};

}  // namespace proclab
