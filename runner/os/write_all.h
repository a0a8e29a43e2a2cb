// write(2) until everything is written or the descriptor fails; EINTR is
// retried. Async-signal-safe apart from the string the caller built.
#pragma once

#include <string_view>

namespace proclab::os {

// Returns false when the descriptor refused more bytes.
bool WriteAll(int fd, std::string_view text);

}  // namespace proclab::os
