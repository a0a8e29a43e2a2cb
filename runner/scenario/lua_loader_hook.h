// The Lua front-end (scripting/) loads .lua scenarios into the same Scenario.
#pragma once

#include <string>

#include "runner/base/error.h"
#include "runner/scenario/scenario.h"

namespace proclab {

Result<Scenario> LoadLuaScenarioFile(const std::string& path);

}  // namespace proclab
