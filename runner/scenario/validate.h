// Cross-references: every actor, role, process and checkpoint a scenario names
// must exist. Shared by the YAML and Lua front-ends; errors point at the use.
#pragma once

#include "runner/base/error.h"
#include "runner/scenario/scenario.h"

namespace proclab {

Status ValidateScenario(const Scenario& s);

}  // namespace proclab
