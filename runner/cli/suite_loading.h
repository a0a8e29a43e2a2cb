// Shared by run, check and list: find the files, load them, print every
// error with its file:line:column and source line.
#pragma once

#include <string>
#include <vector>

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
// false after printing the errors when any file is invalid.
bool LoadSuite(const std::vector<std::string>& paths, Loaded* loaded);

}  // namespace proclab::cli
