#include "runner/os/hypercall.h"

#include <errno.h>
#include <sys/prctl.h>

namespace proclab::os {

long CallLab(Hypercall op, std::string_view text) {
  long r = prctl(kHypercallOption, static_cast<unsigned long>(op),
                 reinterpret_cast<unsigned long>(text.data()), text.size(), 0);
  return r < 0 ? -errno : r;
}

}  // namespace proclab::os
