// Shared by run, check and list: find the files, load them, print every
// error with its file:line:column and source line.
#pragma once

#include <string>
#include <vector>

#include "runner/results/suite_plan.h"
#include "runner/scenario/discovery.h"

namespace proclab::cli {

// proclab's data folder (docs/design.md §5): PREFIX/share/proclab beside
// the running binary's PREFIX/bin; failing that, the source tree, but only
// for the binary in the build folder it was built in. "" when neither.
std::string DataDir();

// The shipped library: DataDir()/scenarios, else ./scenarios. Empty when
// none exists.
std::string ShippedLibrary();

// YAML and Lua, in that order.
const FrontEnds& SyntaxesWeRead();

// Loads the scenarios under `paths` (the shipped library when empty). Returns
// false after printing the errors when any file is invalid. Sets each
// scenario's suite_path: its file relative to the PATH folder it was found
// in (a file named directly: its file name).
bool LoadSuite(const std::vector<std::string>& paths, Loaded* loaded);

// What the json report says a run meant to do, so shards can be merged:
// `chosen` (after --filter and --tag) sorted by suite path then name, a
// fingerprint of every file `loaded` (relative path and bytes), and one of
// `options`, the flags that change what a run does.
SuitePlan PlanOf(const Loaded& loaded, std::vector<const Scenario*>* chosen, int repeat,
                 const std::vector<std::string>& options);

}  // namespace proclab::cli
