// Running the proclab binary from tests: status, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace proclab::testing {

struct Ran {
  int status = -1;  // exit status, or 128+signal
  std::string out;
  std::string err;
};

// Runs argv (argv[0] a path) with stdout and stderr captured in files.
Ran Execute(const std::vector<std::string>& argv);
// Runs build/proclab with `args`.
Ran Proclab(const std::vector<std::string>& args);

}  // namespace proclab::testing
