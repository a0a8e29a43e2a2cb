#include "runner/lab/likely_stops.h"

#include <algorithm>

namespace proclab {

void LikelyStops::Put(pid_t tid) {
  if (tid <= 0) return;
  auto end = tids_.begin() + size_;
  auto at = std::find(tids_.begin(), end, tid);
  if (at == end) {
    if (size_ < kKeep) ++size_;
    at = tids_.begin() + size_ - 1;
  }
  std::rotate(tids_.begin(), at, at + 1);  // most recent first
  tids_[0] = tid;
}

void LikelyStops::After(const os::TraceStop& stop) {
  using os::StopKind;
  if (stop.kind == StopKind::kExited || stop.kind == StopKind::kKilled) {
    auto end = tids_.begin() + size_;
    size_ = static_cast<int>(std::remove(tids_.begin(), end, stop.tid) - tids_.begin());
    if (stop.ppid) Put(*stop.ppid);
    return;
  }
  Put(stop.tid);
  if (stop.kind == StopKind::kForkEvent) Put(static_cast<pid_t>(stop.msg));
}

}  // namespace proclab
