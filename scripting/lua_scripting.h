// Lua, as the layers below know it: a scenario syntax, a way to run actors
// written as functions, and a judge of expectations written as code. The
// command line hands these to discovery, the lab and the judge; nothing
// below scripting/ names Lua.
#pragma once

#include "runner/expect/script_judge.h"
#include "runner/lab/scripted_actors.h"
#include "runner/scenario/front_end.h"

namespace proclab {

const ScenarioFrontEnd& LuaFrontEnd();
const ScriptedActors& LuaActors();
const ScriptJudge& LuaJudge();

}  // namespace proclab
