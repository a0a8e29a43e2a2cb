// proclab run [PATH...]: run scenario files or folders (the shipped library
// when none is given) and report; proclab check and proclab list.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

#include "runner/base/error.h"
#include "runner/results/suite_plan.h"

namespace proclab::cli {

class RunCommand {
 public:
  explicit RunCommand(CLI::App& app);
  [[nodiscard]] bool chosen() const { return cmd_->parsed(); }
  // Paths given after "--".
  void AddPaths(const std::vector<std::string>& more) {
    paths_.insert(paths_.end(), more.begin(), more.end());
  }
  int Run();

 private:
  // --shard: which runs of `plan` are this shard's, as (scenario index,
  // attempt); fills the plan's shard fields.
  Result<std::vector<std::pair<size_t, int>>> ShareOf(SuitePlan& plan, size_t scenarios) const;

  CLI::App* cmd_;
  std::vector<std::string> paths_;
  int jobs_ = 0;
  int shards_ = 0;
  std::string durations_;
  std::vector<std::string> filters_, tags_, reports_;
  int repeat_ = 1;
  std::string shard_, program_, isolation_ = "auto", network_ = "loopback";
  std::string cpus_;  // --cpus N|LIST
};

class CheckCommand {
 public:
  explicit CheckCommand(CLI::App& app);
  [[nodiscard]] bool chosen() const { return cmd_->parsed(); }
  // Paths given after "--".
  void AddPaths(const std::vector<std::string>& more) {
    paths_.insert(paths_.end(), more.begin(), more.end());
  }
  int Run();

 private:
  CLI::App* cmd_;
  std::vector<std::string> paths_;
};

class ListCommand {
 public:
  explicit ListCommand(CLI::App& app);
  [[nodiscard]] bool chosen() const { return cmd_->parsed(); }
  // Paths given after "--".
  void AddPaths(const std::vector<std::string>& more) {
    paths_.insert(paths_.end(), more.begin(), more.end());
  }
  int Run();

 private:
  CLI::App* cmd_;
  std::vector<std::string> paths_;
};

// Splits a command line like a shell would (quotes, backslashes).
std::vector<std::string> SplitWords(const std::string& line);
// SplitWords for --program, which also makes arguments naming existing files
// relative to here absolute.
std::vector<std::string> SplitCommand(const std::string& line);

}  // namespace proclab::cli
