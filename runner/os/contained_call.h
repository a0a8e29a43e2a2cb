// Runs a piece of the runner's own work that may misbehave (a user's Lua
// expectation) in a forked copy of the runner, so that an endless loop, a
// crash or a watchdog's _exit costs that piece only. The copy sees the
// runner's memory as it was; nothing it changes comes back but its answer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "runner/base/error.h"

namespace proclab::os {

// `body` runs in the copy and returns the answer. The copy is killed once
// `limit_us` has passed. The error says what became of it: "it ran past
// its 10s limit", "it died of signal 11 (SIGSEGV)", "it exited (2) …".
Result<std::string> ContainedCall(const std::function<std::string()>& body, int64_t limit_us);

}  // namespace proclab::os
