// One cgroup per job slot, made once for a whole suite (or a trace) under
// proclab-PID in the caller's own groups, and removed at the end: runs reuse
// their slot's group rather than making one each. Where no group can be
// made, `none_because` says why and the labs fall back to the tracer's own
// counts and rlimits. Making them first removes what proclabs that died
// left: their groups, and their labs' scratch folders in /tmp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/os/cgroup.h"

namespace proclab {

class CgroupSlots {
 public:
  explicit CgroupSlots(int slots);
  ~CgroupSlots();
  CgroupSlots(const CgroupSlots&) = delete;
  CgroupSlots& operator=(const CgroupSlots&) = delete;

  // The group of slot `i`, or nullopt without cgroups.
  std::optional<os::Cgroup> slot(int i) const;
  const std::string& none_because() const { return none_because_; }

 private:
  std::vector<os::Cgroup> slots_;
  std::optional<os::Cgroup> parent_;
  std::string none_because_;
};

}  // namespace proclab
