// Running a Lua actor inside its forked, traced process.
#include "scripting/lab_library.h"
#include "scripting/lua_scenario.h"
#include "scripting/lua_scripting.h"

namespace proclab {
namespace {

class Actors : public ScriptedActors {
 public:
  [[nodiscard]] int Run(const Scenario& s, const Actor& actor) const override {
    LuaScenarioState* lua = LuaStateOf(s);
    if (!lua || actor.lua_function < 0) return 70;  // EX_SOFTWARE: a bug, not the program's doing
    lua::State& state = lua->state();
    lua_State* L = state.L();
    // The run's timeout bounds an actor, not the loader's budget.
    state.DisableBudget();
    lua_settop(L, 0);
    lua::EnterActor(L, actor.name);
    lua_rawgeti(L, LUA_REGISTRYINDEX, actor.lua_function);
    return lua::RunActorFunction(L);
  }
};

}  // namespace

const ScriptedActors& LuaActors() {
  static const Actors actors;
  return actors;
}

}  // namespace proclab
