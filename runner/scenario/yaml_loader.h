// Loading v1 YAML scenarios (DESIGN.md §3). Every mistake is an Error naming
// file:line:column; nothing is run from a file that did not load.
#pragma once

#include <string>
#include <string_view>

#include "runner/base/error.h"
#include "runner/scenario/scenario.h"

namespace proclab {

Result<Scenario> LoadYamlScenario(const std::string& path);
// For tests and the fuzzer: `text` as if read from `path`.
Result<Scenario> ParseYamlScenario(std::string_view text, const std::string& path);

}  // namespace proclab
