// Shared by run, check and list: find the files, load them, print every
// error with its file:line:column and source line.
#pragma once

#include <string>
#include <vector>

#include "runner/scenario/discovery.h"

namespace proclab::cli {

// Loads the scenarios under `paths` (the shipped library when empty). Returns
// false after printing the errors when any file is invalid.
bool LoadSuite(const std::vector<std::string>& paths, Loaded* loaded);

}  // namespace proclab::cli
