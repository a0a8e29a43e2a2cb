// Running the proclab binary from tests: status, stdout and stderr.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace proclab::testing {

struct Ran {
  int status = -1;  // exit status, or 128+signal
  std::string out;
  std::string err;
  // Peak resident memory of the process, or of a descendant it waited for
  // (its labs, and what they reaped), from wait4.
  int64_t max_rss_kb = 0;
};

// Runs argv (argv[0] a path) with stdout and stderr captured in files.
Ran Execute(const std::vector<std::string>& argv);
// Runs build/proclab with `args`.
Ran Proclab(const std::vector<std::string>& args);

}  // namespace proclab::testing
