// What one process used, put together from the exits of its tasks: each
// thread's CPU time as it ended, wait4's figures at the process's end, and
// the children it reaped, whose figures the kernel adds into its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runner/os/trace_stop.h"
#include "runner/timeline/usage.h"

namespace proclab {

class ProcessUsage {
 public:
  // One of its tasks ended (a thread, or the main thread last). `granted`:
  // the CPUs the run was pinned to (empty: not pinned).
  void TaskEnded(pid_t tid, const os::TraceStop::ExitUsage& u, const std::vector<int>& granted);
  // The process ended: wait4 reported `both` (its threads and its reaped
  // children together).
  void Ended(const os::TraceStop::ExitUsage& both) { at_exit_ = both; }
  // It reaped `child`, whose figures the kernel then added to its own.
  void Reaped(const ProcessUsage& child);
  // Its own figures, without its reaped children's; nullopt before Ended.
  [[nodiscard]] std::optional<Usage> Own() const;

 private:
  std::vector<ThreadUsage> threads_;
  std::optional<os::TraceStop::ExitUsage> at_exit_;
  os::TraceStop::ExitUsage children_;  // the reaped children's `at_exit_`, summed
  bool reaped_any_ = false;
  std::string widened_to_;
};

}  // namespace proclab
