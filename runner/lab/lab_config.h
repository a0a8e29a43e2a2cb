// What one lab run needs to know: the program, its environment and the limits.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runner/os/cgroup.h"
#include "runner/os/lab_isolation.h"

namespace proclab {

struct LabConfig {
  std::vector<std::string> argv;  // the program and its arguments
  // Changes to the lab's standard environment (see docs/environment.md):
  // "KEY=VALUE" sets, "KEY" alone removes.
  std::vector<std::string> env;
  std::string cwd;                // empty: the runner's working directory
  std::string stdin_path;         // empty: /dev/null
  int64_t timeout_us = 0;         // wall limit for the whole run; 0: none
  int64_t linger_us = 2'000'000;  // how long others may outlive the main process
  int max_processes = 256;        // processes holding a pid at once (zombies included)
  int max_tasks = 1024;           // threads and processes together, as pids.max counts them
  int64_t output_cap = 1 << 20;   // bytes kept per stream
  // Events the timeline keeps. At the cap the run ends (limit "events"); while
  // it ends, only life-cycle events (fork, exec, exit, reap, …) are kept.
  int64_t max_events = 250'000;
  // What those events may take in memory (Footprint, event.h), so that a flood
  // of tiny lines costs no more than the cap allows; the run ends there too.
  int64_t max_event_bytes = 48 << 20;
  os::Isolation isolation = os::Isolation::kAuto;
  // Programs reach the caller's network (--network host); by default they
  // get a namespace with only loopback.
  bool host_network = false;
  // Who programs run as when the runner is root: empty means "nobody";
  // "root" keeps root. Ignored when not root (programs keep the runner's uid).
  std::string user;

  // Instead of exec'ing argv, the started process runs this (after the
  // seccomp filter and the uid switch) and exits with its result. It is the
  // built-in or Lua actor `actor`, and may make hypercalls (os/hypercall.h).
  std::function<int()> run_in_child;
  std::string actor;

  bool tty = false;                       // stdin/stdout/stderr on a pseudo-terminal
  std::optional<std::string> stdin_text;  // fed to the program's stdin
  bool stdin_open = false;                // keep stdin open for steps until they close it
  int64_t memory_limit = 0;               // RLIMIT_AS per process, bytes; 0: none
  int64_t memory_total = 0;               // the cgroup's limit for the whole run; 0: none
  // The job slot's cgroup (run/cgroup_slots.h); none: the lab counts and
  // limits the programs itself, for the reason given.
  std::optional<os::Cgroup> cgroup;
  std::string no_cgroup_because;
  int64_t cpu_limit_us = 0;            // RLIMIT_CPU per process; 0: none
  int64_t core_limit = 0;              // RLIMIT_CORE; 0: no core files at all
  int64_t file_size_limit = 64 << 20;  // RLIMIT_FSIZE per process; 0: none
  int open_files_limit = 1024;         // RLIMIT_NOFILE per process; 0: the lab's own
  class StepDriver* driver = nullptr;  // the scenario's steps, run inside the lab
  // `files:` expectations (lab/file_watch.h): paths in the run's folder
  // whose entries the lab records when the run ends, with the first bytes of
  // each file when `text` (a `match:` reads its lines).
  struct WatchedPath {
    std::string pattern;
    bool text = false;
  };
  std::vector<WatchedPath> watched_paths;
  bool watch_outside = false;  // record what the run left in the shared folders
  // The programs' uid belongs to this run alone (a grading job slot's
  // account): what the run left in the shared folders is removed, and
  // recorded whether or not an expectation asks.
  bool own_uid = false;
  // Log every trace stop and restart on stderr (PROCLAB_DEBUG=1, --debug).
  bool debug = false;
  // The CPUs the lab and everything in it may run on (`cpus:`, --cpus),
  // chosen by the runner (os::ChooseCpus); empty: not pinned.
  std::vector<int> cpus;
  // Attach the CPU every live process has used to each event (a
  // `parallelism` window needs it at its bounds): Event::cpu.
  bool cpu_readings = false;
  // Read every live process's CPU this often, as a `sample` event (`sample:`,
  // --sample); 0: never. At least kMinSampleEveryUs.
  int64_t sample_every_us = 0;
};

inline constexpr int64_t kMinSampleEveryUs = 10'000;

// The standard environment programs get, with `overrides` applied.
std::vector<std::string> ProgramEnvironment(const std::vector<std::string>& overrides,
                                            const std::string& home, const std::string& user);

}  // namespace proclab
