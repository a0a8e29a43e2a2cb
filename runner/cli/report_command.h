// proclab report html FILE.json -o OUT: draws a saved run again. FILE is a
// trace JSON (trace --json) or a results JSON (run --report json:FILE).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace proclab::cli {

class ReportCommand {
 public:
  explicit ReportCommand(CLI::App& app);
  [[nodiscard]] bool chosen() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  std::string format_, input_, out_;
};

}  // namespace proclab::cli
