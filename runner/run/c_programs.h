// `program: [zombie.c]` runs a C file: the runner compiles it first (cc
// -std=gnu11 -O1 -Wall -pthread), caching the binary by the source's content
// and the compiling account, in a folder the unprivileged program user can
// read.
#pragma once

#include <string>

#include "runner/base/error.h"

namespace proclab {

// The path of the compiled program. `user` is who the program will run as
// (LabConfig::user). When the runner is root, the source is read and
// compiled as that account (nobody when empty; "root" keeps root), so the
// compiler reads, and its messages quote, nothing the program could not
// read itself; otherwise as the runner. On a compile error, the compiler's
// own message is the Error's message.
Result<std::string> CompileC(const std::string& source, const std::string& user = "");

}  // namespace proclab
