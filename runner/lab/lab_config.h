// What one lab run needs to know: the program, its environment and the limits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
  int max_processes = 256;        // live (unreaped) processes at once
  int64_t output_cap = 1 << 20;   // bytes kept per stream
  os::Isolation isolation = os::Isolation::kAuto;
  // Who programs run as when the runner is root: empty means "nobody";
  // "root" keeps root. Ignored when not root (programs keep the runner's uid).
  std::string user;
};

// The standard environment programs get, with `overrides` applied.
std::vector<std::string> ProgramEnvironment(const std::vector<std::string>& overrides,
                                            const std::string& home, const std::string& user);

}  // namespace proclab
