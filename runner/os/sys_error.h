// System errors name the call, its arguments and errno:
// "ptrace(PTRACE_SEIZE, 4123): Operation not permitted".
#pragma once

#include <string>
#include <string_view>

#include "runner/base/error.h"

namespace proclab::os {

// Builds the Error for a failed call from errno (or an explicit errno value).
Error SysError(std::string_view call, int err);
Error SysError(std::string_view call);

// "ENOENT" for 2; strerror text is separate so messages can show both.
std::string ErrnoName(int err);

}  // namespace proclab::os
