// Shared by run, check and list: find the files, load them, print every
// error with its file:line:column and source line.
#pragma once

#include <string>
#include <vector>

#include "runner/scenario/discovery.h"

namespace proclab::cli {

// The shipped library: next to the binary (../scenarios from build/), in the
// installed data directory, or ./scenarios. Empty when none exists.
std::string ShippedLibrary();

// YAML and Lua, in that order.
const FrontEnds& SyntaxesWeRead();

// Loads the scenarios under `paths` (the shipped library when empty). Returns
// false after printing the errors when any file is invalid.
bool LoadSuite(const std::vector<std::string>& paths, Loaded* loaded);

}  // namespace proclab::cli
