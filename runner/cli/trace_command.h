// proclab trace [--json FILE] [--timeout D] [--linger D] [--tty [--keys LIST]] … -- CMD [ARG...]
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "runner/cli/options.h"

namespace proclab::cli {

class TraceCommand {
 public:
  explicit TraceCommand(CLI::App& app);
  [[nodiscard]] bool chosen() const { return cmd_->parsed(); }
  int Run();
  // Everything after "--" on the command line.
  void SetCommandTail(std::vector<std::string> tail) { tail_ = std::move(tail); }

 private:
  CLI::App* cmd_;
  LabFlags lab_;
  std::string json_path_;
  std::string perfetto_path_;
  std::string html_path_;
  std::string cwd_;
  std::string stdin_path_;
  std::vector<std::string> env_;
  bool quiet_ = false;
  bool debug_ = false;
  bool tty_ = false;
  std::string keys_;
  std::vector<std::string> tail_;
};

}  // namespace proclab::cli
