#include "runner/lab/process_usage.h"

#include <algorithm>

namespace proclab {

void ProcessUsage::TaskEnded(pid_t tid, const os::TraceStop::ExitUsage& u,
                             const std::vector<int>& granted) {
  if (u.thread_cpu_ns >= 0) threads_.push_back({tid, u.thread_cpu_ns / 1000, u.last_cpu});
  // Without a cpuset, sched_setaffinity lets a program leave its grant; what
  // it could run on at the end tells (a program that widened and narrowed
  // again is not seen).
  if (!granted.empty() && !u.affinity.empty() &&
      !std::includes(granted.begin(), granted.end(), u.affinity.begin(), u.affinity.end()))
    widened_to_ = FormatCpuList(u.affinity);
}

void ProcessUsage::Reaped(const ProcessUsage& child) {
  if (!child.at_exit_) return;
  const auto& c = *child.at_exit_;
  children_.user_us += c.user_us;
  children_.system_us += c.system_us;
  children_.voluntary_switches += c.voluntary_switches;
  children_.involuntary_switches += c.involuntary_switches;
  children_.minor_faults += c.minor_faults;
  children_.major_faults += c.major_faults;
  children_.max_rss_kb = std::max(children_.max_rss_kb, c.max_rss_kb);
  reaped_any_ = true;
}

std::optional<Usage> ProcessUsage::Own() const {
  if (!at_exit_) return std::nullopt;
  const auto& b = *at_exit_;
  // Each reaped child's figures were final when the kernel added them, so
  // the difference is exact but for rounding to microseconds.
  auto minus = [](int64_t a, int64_t c) { return std::max<int64_t>(0, a - c); };
  Usage u;
  u.user_us = minus(b.user_us, children_.user_us);
  u.system_us = minus(b.system_us, children_.system_us);
  u.voluntary_switches = minus(b.voluntary_switches, children_.voluntary_switches);
  u.involuntary_switches = minus(b.involuntary_switches, children_.involuntary_switches);
  u.minor_faults = minus(b.minor_faults, children_.minor_faults);
  u.major_faults = minus(b.major_faults, children_.major_faults);
  // One high-water mark for both: it is the process's own when it is above
  // every reaped child's; otherwise it may be a child's.
  u.max_rss_kb = b.max_rss_kb;
  u.max_rss_with_children = reaped_any_ && children_.max_rss_kb >= b.max_rss_kb;
  u.last_cpu = b.last_cpu;
  u.threads = threads_;
  u.widened_to = widened_to_;
  return u;
}

}  // namespace proclab
