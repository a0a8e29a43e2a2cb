// Finding and loading scenario files: files given by name, folders searched
// recursively (sorted, so runs are repeatable). Each file goes to the
// front-end of its extension.
#pragma once

#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/scenario/front_end.h"
#include "runner/scenario/scenario.h"

namespace proclab {

// The syntaxes a run may load, in order of preference.
using FrontEnds = std::vector<const ScenarioFrontEnd*>;

// Scenario files under `paths`: files whose extension a front-end accepts. A
// path that does not exist, or a folder with no scenario, is an error.
Result<std::vector<std::string>> FindScenarioFiles(const std::vector<std::string>& paths,
                                                   const FrontEnds& front_ends);

struct Loaded {
  std::vector<Scenario> scenarios;
  std::vector<Error> errors;  // one per file that did not load
};
// Loads every file; names must be unique across the suite.
Loaded LoadScenarioFiles(const std::vector<std::string>& files, const FrontEnds& front_ends);

}  // namespace proclab
