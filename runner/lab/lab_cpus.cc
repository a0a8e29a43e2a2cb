// The CPUs of a run: pinning the lab and everything in it, and reading what
// each process has used at an event.
#include <fmt/format.h>

#include "runner/lab/lab.h"
#include "runner/os/cpu_affinity.h"
#include "runner/os/procfs.h"

namespace proclab {
namespace {

// Readings per event, at most: a window's bounds need the processes that
// do the work, and a run of thousands must not cost thousands per line.
constexpr size_t kMaxReadings = 64;

}  // namespace

// The lab pins itself, so whatever it forks inherits the CPUs; the job
// slot's cpuset, where there is one, holds programs to them for good. A run
// that is not pinned still gets the lab's own CPUs in the cpuset, since
// joining a cpuset resets a task's affinity to the cpuset's.
Status Lab::PinCpus(LabInfo* info) {
  if (!config_.cpus.empty())
    if (Status st = os::PinSelf(config_.cpus); !st) return st;
  info->cpus = os::AllowedCpus();
  bool cpuset = false;
  if (cgroup_ && (cgroup_->Has("cpuset") || cgroup_->v2())) {
    Status st = cgroup_->SetCpus(info->cpus);
    cpuset = st.ok();
    if (!cpuset && !cgroup_->v2()) {
      // A cpuset left at another run's CPUs must not be joined.
      auto dirs = cgroup_->dirs();
      dirs.erase("cpuset");
      cgroup_ = os::Cgroup::Open(false, dirs);
    }
  }
  if (!config_.cpus.empty()) info->pinned_by = cpuset ? "cpuset" : "affinity";
  return {};
}

void Lab::ReadCpus(Event& e) {
  if (!config_.cpu_readings || !sup_ || e.type == EventType::kSample) return;
  if (e.type == EventType::kFork && e.thread) return;
  for (pid_t pid : sup_->Running()) {
    if (e.cpu.size() >= kMaxReadings) break;
    if (auto us = os::ProcessCpuUs(pid)) e.cpu.push_back({pid, *us});
  }
}

// From the process's CPU clock, as ReadCpus: no /proc read and no stop. A
// sample missed while the lab was busy is not made up: the next is one
// period after this one.
void Lab::Sample() {
  if (!sup_) return;
  Event e;
  e.type = EventType::kSample;
  e.t_us = Now();
  for (pid_t pid : sup_->Running()) {
    if (e.cpu.size() >= kMaxReadings) break;
    if (auto us = os::ProcessCpuUs(pid)) e.cpu.push_back({pid, *us});
  }
  next_sample_us_ = e.t_us + config_.sample_every_us;
  if (!e.cpu.empty()) Emit(std::move(e));
}

}  // namespace proclab
