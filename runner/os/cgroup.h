// Control groups for the processes of a run: a task cap the kernel enforces
// (pids.max counts threads, and zombies, since they hold a pid), a memory
// limit with an OOM-kill count, CPU accounting, and a teardown that kills
// every member at once.
//
// Both layouts are supported: cgroup v2 (one unified hierarchy; the parent
// must have delegated the controllers) and v1 (one hierarchy per controller,
// as on these machines: pids, memory, cpuacct). Groups nest under
// the caller's own groups. Where neither is writable, Create says why and
// the lab falls back to the tracer's own counts and rlimits.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {

// Where the caller's cgroups are: read from /proc/self/cgroup and
// /proc/self/mountinfo (or from the given texts, for tests).
struct CgroupLayout {
  bool v2 = false;
  // v1: controller → directory of the caller's group in that hierarchy;
  // v2: "" → the caller's unified group.
  std::map<std::string, std::string> dirs;
  static CgroupLayout Read();
  static CgroupLayout Parse(const std::string& proc_self_cgroup, const std::string& mountinfo);
};

class Cgroup {
 public:
  // Makes (or reuses) the group `relative` (e.g. "proclab-123/slot-0") under
  // the caller's groups, with the controllers it can get.
  static Result<Cgroup> Create(const CgroupLayout& layout, const std::string& relative);
  // Opens a group made before (by the runner, for a job slot).
  static Cgroup Open(bool v2, std::map<std::string, std::string> dirs);

  bool v2() const { return v2_; }
  const std::map<std::string, std::string>& dirs() const { return dirs_; }
  bool Has(const std::string& controller) const { return dirs_.count(controller) > 0; }
  // "cgroup v1 (cpuacct, memory, pids)", for the trace and messages.
  std::string Describe() const;

  // Moves `pid` (as the caller's PID namespace numbers it) into the group.
  Status Join(pid_t pid) const;
  // The files through which a process moves itself in, by writing "0": v1's
  // `tasks` (a single-threaded caller moving itself takes no global lock:
  // SpawnSpec::join_fds), v2's cgroup.procs.
  Result<std::vector<UniqueFd>> OpenJoinFiles() const;
  Status SetTasksMax(int64_t tasks) const;   // 0: no cap
  Status SetMemoryMax(int64_t bytes) const;  // 0: no limit
  // cgroup_cpuset.cc. The CPUs the group's tasks may use (a cpuset: no
  // program can widen its affinity past it); empty: all of the parent's.
  // An error without a usable cpuset controller.
  Status SetCpus(const std::vector<int>& cpus) const;
  // Counters since the group was made.
  std::optional<int64_t> OomKills() const;
  std::optional<int64_t> CpuUsageUs() const;
  std::optional<int64_t> TasksNow() const;
  // Pids in the group (the caller's numbering).
  std::vector<pid_t> Members() const;
  // SIGKILLs every member: cgroup.kill on v2 (at once); on v1 in rounds
  // until the group is empty.
  Status KillAll() const;
  // Removes the (empty) directories; children first.
  void Remove() const;

 private:
  std::string Dir(const std::string& controller) const;
  bool v2_ = false;
  std::map<std::string, std::string> dirs_;  // controller → directory ("" on v2: unified)
};

// Removes groups left by proclab runs that died (proclab-PID whose PID is
// gone), under the caller's groups.
void RemoveStaleCgroups(const CgroupLayout& layout);

}  // namespace proclab::os
