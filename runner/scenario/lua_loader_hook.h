// The Lua front-end (scripting/) loads .lua scenarios into the same Scenario
// and runs Lua actors inside their forked processes.
#pragma once

#include <string>

#include "runner/base/error.h"
#include "runner/scenario/scenario.h"

namespace proclab {

Result<Scenario> LoadLuaScenarioFile(const std::string& path);
// Runs a Lua actor (actor.lua_function >= 0) in the calling, forked process.
int RunLuaActor(const Scenario& s, const Actor& actor);

}  // namespace proclab
