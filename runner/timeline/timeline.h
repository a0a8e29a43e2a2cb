// The Timeline: everything a lab run observed, in time order, plus what the
// lab said about itself. Expectations, reporters and Lua read it; unit tests
// build it by hand.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "runner/timeline/event.h"
#include "runner/timeline/file_facts.h"

namespace proclab {

struct LabInfo {
  pid_t pid = 0;  // the pid processes see as their adopter
  bool pid_namespace = false;
  bool user_namespace = false;
  std::string note;  // why there is no namespace, when it fell back
  int uid = -1;      // the uid programs ran as
  // The cgroup the programs ran in ("cgroup v1 (freezer, memory, pids)"),
  // or "none: WHY" when the lab counted and limited them itself.
  std::string cgroup;
  // "loopback only" (a network namespace of its own) or "host".
  std::string network;
  // The CPUs the run's processes were granted (sched_getaffinity of the lab
  // once pinned), and how they were held to them: "cpuset" (the kernel
  // enforces it), "affinity" (a program may widen its own), or "" (not pinned).
  std::vector<int> cpus;
  std::string pinned_by;
};

struct ExitStatus {
  bool signaled = false;
  int code = 0;
  int sig = 0;
  bool core = false;
  // "exit 7", "killed by SIGTERM", "killed by SIGSEGV (core dumped)"
  [[nodiscard]] std::string Describe() const;
  // The shell convention: code, or 128 + signal.
  [[nodiscard]] int ShellStatus() const { return signaled ? 128 + sig : code; }
};

// What the lab says about the run as a whole when it ends.
struct RunSummary {
  int64_t end_us = 0;                       // when the lab finished
  int64_t output_dropped[2] = {0, 0};       // bytes past the cap, stdout and stderr
  int64_t output_unattributed[2] = {0, 0};  // bytes that reached the pipe without a
                                            // write(2) on fd 1/2 to attribute them to
  int forks_refused = 0;                    // forks failed with EAGAIN, at either cap
  int threads_refused = 0;                  // thread creations failed with EAGAIN at the task cap
  int64_t events_dropped = 0;               // past the event cap (LabConfig::max_events)
  std::string lab_error;                    // the lab failed: proclab's fault
  // CPU of the whole run: the processes' own figures summed (-1: unknown),
  // and what the run's cgroup counted (cpuacct; -1: no cgroup).
  int64_t cpu_us = -1;
  int64_t cgroup_cpu_us = -1;
};

// What became of one step of a scenario (they run inside the lab).
struct StepResult {
  int index = 0;  // 0-based position in the scenario's steps
  bool ok = true;
  std::string message;  // on failure: what was expected and what happened
  int64_t t_us = 0;     // when it finished
  std::string note;     // on success: what a reader should know (a stimulus sent unsettled)
  std::string text;     // the step as written, "key ctrl-c" (empty in traces written before it)
};

// One process's life, derived from the events. A pid reused after reaping is
// a new record with its own `id`: the pair (pid, id) tells two processes with
// one pid apart everywhere (names, output, the JSON).
struct ProcessRecord {
  int id = 0;  // 1, 2, … in order of birth: unique within the timeline
  pid_t pid = 0;
  pid_t ppid = 0;                 // parent at birth
  std::string name;               // comm after the last exec
  std::vector<std::string> argv;  // after the last exec
  int64_t start_us = 0;
  std::optional<int64_t> end_us;  // when it exited
  std::optional<ExitStatus> exit;
  std::optional<Party> reaped_by;
  std::optional<int64_t> reaped_us;
  std::vector<std::pair<int64_t, pid_t>> adoptions;  // (when, new parent)
  std::optional<std::string> killed_by_lab;          // the reason, when the lab killed it
  int threads = 0;                                   // threads it created
  std::string actor;                                 // the actor it runs, if any
  std::optional<Usage> usage;                        // what it used, from its exit
  size_t first_event = 0;                            // index of its spawn/fork event
  size_t last_event = SIZE_MAX;                      // index of its reap; SIZE_MAX: never reaped
  size_t exit_event = SIZE_MAX;                      // index of its exit; SIZE_MAX: never exited
  // Whether it held its pid at event index `i`.
  [[nodiscard]] bool Holds(pid_t p, size_t i) const {
    return p == pid && i >= first_event && i <= last_event;
  }
};

class Timeline {
 public:
  LabInfo lab;
  std::vector<std::string> command;
  pid_t main_pid = 0;        // the process the lab started
  std::string launch_error;  // the program could not be started
  // Why, for exit statuses: the program was not found (as a shell's 127),
  // or found but could not be run (126).
  bool launch_not_found = false;
  RunSummary summary;
  std::vector<StepResult> steps;
  // What the `files:` expectations ask about, and what the run left outside
  // its folder: gathered by the lab once every process was gone.
  std::vector<FileFacts> files;
  std::optional<LeftOutside> left_outside;
  bool complete = false;  // the lab sent its end-of-run summary
  std::string scratch;    // the run's folder (not in the JSON: the runner's business)

  // Keeps time order; events with equal times keep arrival order.
  void Add(Event e);
  [[nodiscard]] const std::deque<Event>& events() const { return events_; }

  [[nodiscard]] std::vector<ProcessRecord> Processes() const;
  // The record of the process that had `pid` at time `t_us` (or the latest one).
  [[nodiscard]] std::optional<ProcessRecord> Process(pid_t pid,
                                                     std::optional<int64_t> t_us = {}) const;

 private:
  // A deque: growing it never copies what is there, so a long run peaks at
  // its size and not at twice it.
  std::deque<Event> events_;
};

}  // namespace proclab
