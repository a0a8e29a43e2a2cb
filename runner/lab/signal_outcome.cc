#include "runner/lab/signal_outcome.h"

#include <signal.h>

#include "runner/base/signal_names.h"

namespace proclab {

Disposition Disposition::FromMasks(int sig, uint64_t caught_mask, uint64_t ignored_mask) {
  const uint64_t bit = uint64_t{1} << (sig - 1);
  return {(caught_mask & bit) != 0, (ignored_mask & bit) != 0};
}

Outcome DeliveryOutcome(int sig, Disposition d, bool orphaned_group) {
  if (sig == SIGKILL) return Outcome::kKilled;
  if (sig == SIGSTOP) return Outcome::kStopped;
  if (d.caught) return Outcome::kHandled;
  if (sig == SIGCONT) return Outcome::kContinued;  // resumes even when ignored
  if (d.ignored) return Outcome::kIgnored;
  if (SignalDefaultStops(sig)) return orphaned_group ? Outcome::kIgnored : Outcome::kStopped;
  if (SignalDefaultIgnored(sig)) return Outcome::kIgnored;
  return Outcome::kKilled;
}

}  // namespace proclab
