// Finding and loading scenario files: files given by name, folders searched
// recursively (sorted, so runs are repeatable), the shipped library when
// nothing is given.
#pragma once

#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/scenario/scenario.h"

namespace proclab {

// The shipped library: next to the binary (../scenarios from build/), in the
// installed data directory, or ./scenarios. Empty when none exists.
std::string ShippedLibrary();

// Scenario files under `paths`: *.yaml, *.yml, *.lua. A path that does not
// exist, or a folder with no scenario, is an error.
Result<std::vector<std::string>> FindScenarioFiles(const std::vector<std::string>& paths);

struct Loaded {
  std::vector<Scenario> scenarios;
  std::vector<Error> errors;  // one per file that did not load
};
// Loads every file (YAML or Lua); names must be unique across the suite.
Loaded LoadScenarioFiles(const std::vector<std::string>& files);

}  // namespace proclab
