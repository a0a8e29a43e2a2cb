// Hypercalls: how code the lab itself put in a traced process (built-in and
// Lua actors) talks to the lab synchronously. The call is a prctl with an
// option no kernel knows; the seccomp filter stops the caller there, the lab
// reads the request from its registers and memory, answers in the return
// value and skips the syscall. For any other process the kernel sees the
// prctl and fails it with EINVAL, as it always would.
#pragma once

#include <cstddef>
#include <string_view>

namespace proclab::os {

constexpr unsigned long kHypercallOption = 0x70726c62;  // "prlb"

enum class Hypercall : unsigned long {
  kName = 1,           // this process runs actor `text`; returns 0
  kCheckpoint = 2,     // snapshot every process now; returns 0 once taken
  kResolve = 3,        // the newest pid called `text`, or -ESRCH
  kNameNextChild = 4,  // the caller's next child runs actor `text`; returns 0
  kMeasure = 5,        // record value `text` ("NAME NUMBER") for the caller; 0, or -EINVAL
};

// Called by the traced process. Returns the lab's answer (>= 0) or -errno.
long CallLab(Hypercall op, std::string_view text);

}  // namespace proclab::os
