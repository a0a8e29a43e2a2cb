// What delivering a signal does to a process, from its disposition at the
// moment of delivery (read from /proc at the signal-delivery-stop).
#pragma once

#include <cstdint>

#include "runner/timeline/event.h"

namespace proclab {

struct Disposition {
  bool caught = false;   // a handler is installed
  bool ignored = false;  // SIG_IGN
  static Disposition FromMasks(int sig, uint64_t caught_mask, uint64_t ignored_mask);
};

// `orphaned_group`: the receiver's process group is orphaned, so the kernel
// discards terminal stop signals (SIGTSTP, SIGTTIN, SIGTTOU) at their default.
Outcome DeliveryOutcome(int sig, Disposition d, bool orphaned_group);

}  // namespace proclab
