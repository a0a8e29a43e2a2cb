// Options shared by the commands that run labs, with proclab's own units.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "runner/lab/lab_config.h"

namespace proclab::cli {

// Flags that shape a lab: --timeout, --linger, --max-processes, --output-cap,
// --isolation, --user. Their text is validated in Apply().
struct LabFlags {
  std::string timeout, linger, output_cap, isolation = "auto", user;
  std::string memory, memory_total, cpu, file_size, max_event_memory, network = "loopback";
  std::string cpus;    // --cpus N|LIST (cpus_flag.h)
  std::string sample;  // --sample 50ms: read every live process's CPU this often
  int open_files = 1024;
  int max_processes = 256;
  int max_tasks = 1024;
  int64_t max_events = 250'000;
  void Add(CLI::App* cmd);
  // Fills `config`; false (with a message on stderr) on a bad value.
  bool Apply(LabConfig* config) const;
};

}  // namespace proclab::cli
