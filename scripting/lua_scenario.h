// The Lua side of a scenario: the state its file ran in, kept for actors
// (run in forked copies of it) and for expectations written as functions.
#pragma once

#include <memory>
#include <string>

#include "runner/scenario/scenario.h"
#include "runner/scenario/script.h"
#include "scripting/lua_state.h"

namespace proclab {

class LuaScenarioState : public ScenarioScript {
 public:
  LuaScenarioState(std::unique_ptr<lua::State> state, std::string file)
      : state_(std::move(state)), file_(std::move(file)) {}
  lua::State& state() { return *state_; }
  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  std::unique_ptr<lua::State> state_;
  std::string file_;
};

// The Lua state behind `s`, or nullptr (a YAML scenario).
inline LuaScenarioState* LuaStateOf(const Scenario& s) {
  return dynamic_cast<LuaScenarioState*>(s.script.get());
}

}  // namespace proclab
