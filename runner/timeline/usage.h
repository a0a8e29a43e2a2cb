// What a process used, as the kernel accounted it when it exited: CPU time
// (per thread, rolled up), memory, context switches, page faults, and the
// CPU it last ran on. And the CPU readings the lab takes at events, for
// windows of a run (parallelism).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace proclab {

// One thread's CPU time, read when it exited (the process's main thread too).
struct ThreadUsage {
  pid_t tid = 0;
  int64_t cpu_us = 0;
  int last_cpu = -1;  // the CPU it last ran on; -1: unknown
  bool operator==(const ThreadUsage&) const = default;
};

// A process's own figures: its threads, not the children it reaped (the
// kernel adds those into what wait4 reports; the lab takes them out).
struct Usage {
  int64_t user_us = 0;
  int64_t system_us = 0;
  int64_t max_rss_kb = 0;
  // The kernel keeps one high-water mark for a process and the children it
  // reaped; true when a reaped child's may be the one in `max_rss_kb`.
  bool max_rss_with_children = false;
  int64_t voluntary_switches = 0;
  int64_t involuntary_switches = 0;
  int64_t minor_faults = 0;
  int64_t major_faults = 0;
  int last_cpu = -1;
  std::vector<ThreadUsage> threads;  // in the order they exited; the main thread last
  // The CPUs it could run on at its exit, when wider than the run was
  // granted (it widened its own affinity): "0-3". Empty: within the grant.
  std::string widened_to;
  [[nodiscard]] int64_t cpu_us() const { return user_us + system_us; }
  bool operator==(const Usage&) const = default;
};

// How much CPU a process had used at the moment of an event (its threads,
// not its children).
struct CpuReading {
  pid_t pid = 0;
  int64_t cpu_us = 0;
  bool operator==(const CpuReading&) const = default;
};

nlohmann::json UsageToJson(const Usage& u);
Usage UsageFromJson(const nlohmann::json& j);
nlohmann::json CpuReadingsToJson(const std::vector<CpuReading>& r);
std::vector<CpuReading> CpuReadingsFromJson(const nlohmann::json& j);

// "0-3,6" for {0,1,2,3,6}; and back (nullopt when malformed).
std::string FormatCpuList(const std::vector<int>& cpus);
std::optional<std::vector<int>> ParseCpuList(const std::string& text);

}  // namespace proclab
