#include "runner/cli/options.h"

#include "runner/cli/cpus_flag.h"

#include <fmt/format.h>

#include "runner/base/units.h"

namespace proclab::cli {

void LabFlags::Add(CLI::App* cmd) {
  cmd->add_option("--timeout", timeout, "wall limit for the whole run, e.g. 10s (default: none)");
  cmd->add_option("--linger", linger,
                  "how long other processes may outlive the main one (default 2s)");
  cmd->add_option("--max-processes", max_processes, "live processes at once (default 256)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--max-tasks", max_tasks,
                  "threads and processes at once, zombies included (default 1024)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--output-cap", output_cap, "bytes kept per stream (default 1MiB)");
  cmd->add_option("--memory", memory, "address space per process, e.g. 256MiB (default: none)");
  cmd->add_option("--memory-total", memory_total,
                  "memory of the whole run, through its cgroup (default: none)");
  cmd->add_option("--cpu", cpu, "CPU time per process, e.g. 5s (default: none)");
  cmd->add_option("--file-size", file_size, "largest file a process may write (default 64MiB)");
  cmd->add_option("--open-files", open_files, "descriptors per process (default 1024)")
      ->check(CLI::Range(16, 1'000'000));
  cmd->add_option("--max-events", max_events,
                  "timeline events kept; the run ends at the cap (default 250000)")
      ->check(CLI::Range(int64_t{100}, int64_t{10'000'000}));
  cmd->add_option("--max-event-memory", max_event_memory,
                  "memory the kept events may take; the run ends there (default 48MiB)");
  cmd->add_option("--isolation", isolation,
                  "auto (PID namespace when possible), namespace, or subreaper")
      ->check(CLI::IsMember({"auto", "namespace", "subreaper"}));
  cmd->add_option("--network", network,
                  "loopback (default: a network of its own with only loopback) or host")
      ->check(CLI::IsMember({"loopback", "host"}));
  cmd->add_option("--cpus", cpus,
                  "pin the lab and everything in it to N CPUs, or to a list of them (0,2 or 4-7)");
  cmd->add_option("--sample", sample,
                  "read every live process's CPU this often, e.g. 50ms: `sample` events, which "
                  "shade the HTML page's lanes by CPU use (default: never; at least 10ms)");
  cmd->add_option("--user", user,
                  "when run as root, the user programs run as (default nobody; 'root' keeps root)");
}

bool LabFlags::Apply(LabConfig* config) const {
  auto duration = [](const std::string& flag, const std::string& text, int64_t* out) {
    if (text.empty()) return true;
    auto us = ParseDurationUs(text);
    if (!us) {
      fmt::print(stderr, "proclab: {} '{}': expected a duration such as 250ms, 1.5s or 2m\n", flag,
                 text);
      return false;
    }
    *out = *us;
    return true;
  };
  auto size = [](const std::string& flag, const std::string& text, int64_t* out) {
    if (text.empty()) return true;
    auto bytes = ParseSize(text);
    if (!bytes) {
      fmt::print(stderr, "proclab: {} '{}': expected a size such as 64KiB or 1MiB\n", flag, text);
      return false;
    }
    *out = *bytes;
    return true;
  };
  if (!duration("--timeout", timeout, &config->timeout_us)) return false;
  if (!timeout.empty() && config->timeout_us <= 0) {
    // As in a scenario file: no timeout is written by leaving it out.
    fmt::print(stderr, "proclab: --timeout must be more than 0 (leave it out for none)\n");
    return false;
  }
  if (!duration("--linger", linger, &config->linger_us)) return false;
  if (!duration("--cpu", cpu, &config->cpu_limit_us)) return false;
  if (!duration("--sample", sample, &config->sample_every_us)) return false;
  if (!sample.empty() && config->sample_every_us < kMinSampleEveryUs) {
    fmt::print(stderr, "proclab: --sample must be at least {} (each sample reads every process)\n",
               FormatDuration(kMinSampleEveryUs));
    return false;
  }
  if (!size("--output-cap", output_cap, &config->output_cap)) return false;
  if (!size("--memory", memory, &config->memory_limit)) return false;
  if (!size("--memory-total", memory_total, &config->memory_total)) return false;
  if (!size("--file-size", file_size, &config->file_size_limit)) return false;
  if (!size("--max-event-memory", max_event_memory, &config->max_event_bytes)) return false;
  if (config->max_event_bytes < (1 << 20)) {
    fmt::print(stderr, "proclab: --max-event-memory must be at least 1MiB\n");
    return false;
  }
  config->open_files_limit = open_files;
  config->max_processes = max_processes;
  config->max_tasks = max_tasks;
  config->max_events = max_events;
  config->isolation = isolation == "namespace"   ? os::Isolation::kPidNamespace
                      : isolation == "subreaper" ? os::Isolation::kSubreaper
                                                 : os::Isolation::kAuto;
  config->user = user;
  config->host_network = network == "host";
  if (!cpus.empty()) {
    auto chosen = ParseCpusFlag(cpus);
    if (!chosen) return false;
    config->cpus = *chosen;
  }
  return true;
}

}  // namespace proclab::cli
