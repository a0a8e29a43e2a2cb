#include "runner/run/cgroup_slots.h"

#include <fmt/format.h>
#include <unistd.h>

#include "runner/os/scratch_dir.h"

namespace proclab {

CgroupSlots::CgroupSlots(int slots) {
  const os::CgroupLayout layout = os::CgroupLayout::Read();
  // What proclabs that died left: their groups, and their labs' scratch folders.
  os::RemoveStaleCgroups(layout);
  os::RemoveAbandonedScratchDirs();
  const std::string top = fmt::format("proclab-{}", getpid());
  for (int i = 0; i < slots; ++i) {
    auto g = os::Cgroup::Create(layout, fmt::format("{}/slot-{}", top, i));
    if (!g) {
      none_because_ = g.error().message;
      break;
    }
    slots_.push_back(std::move(*g));
  }
  if (!none_because_.empty()) {
    for (const auto& g : slots_) g.Remove();
    slots_.clear();
  }
  if (auto p = os::Cgroup::Create(layout, top)) parent_ = std::move(*p);
}

CgroupSlots::~CgroupSlots() {
  for (const auto& g : slots_) {
    (void)g.KillAll();  // a lab that died may have left members behind
    g.Remove();
  }
  if (parent_) parent_->Remove();
}

std::optional<os::Cgroup> CgroupSlots::slot(int i) const {
  if (i < 0 || static_cast<size_t>(i) >= slots_.size()) return std::nullopt;
  return slots_[static_cast<size_t>(i)];
}

}  // namespace proclab
