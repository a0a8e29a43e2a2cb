// `program: [zombie.c]` runs a C file: the runner compiles it first (cc
// -std=gnu11 -O1 -Wall -pthread), caching the binary by the source's content,
// in a folder the unprivileged program user can read.
#pragma once

#include <string>

#include "runner/base/error.h"

namespace proclab {

// The path of the compiled program. On a compile error, the compiler's own
// message is the Error's message.
Result<std::string> CompileC(const std::string& source);

}  // namespace proclab
