// The path of a `files:` expectation: relative to the run's folder, a glob
// per component (`*`, `?`, `[…]`, as the shell has them), never leaving the
// folder. The lab matches it (os/file_glob.h); the reader refuses what could
// reach outside the folder, at load time.
#pragma once

#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab {

// "./logs//a.txt" → "logs/a.txt". An error says what is wrong, in words for
// the scenario's author: an absolute path, a `..`, a `**`, nothing left.
Result<std::string> NormalizeFilePath(const std::string& written);

// The components of a normalized path.
std::vector<std::string> FilePathParts(const std::string& path);

// Whether a component is a pattern rather than a name.
bool HasWildcard(const std::string& part);

}  // namespace proclab
