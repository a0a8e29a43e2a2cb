// proclab merge RESULT.json... [--report FORMAT[:PATH]]...: the json reports
// of a suite's shards (or of whole runs on several machines) as one report,
// in any format (design.md §2.7). With --grade SUITE --out DIR: the
// gradebooks of a grading's shards as one gradebook.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace proclab::cli {

class MergeCommand {
 public:
  explicit MergeCommand(CLI::App& app);
  [[nodiscard]] bool chosen() const { return cmd_->parsed(); }
  // Paths given after "--".
  void AddPaths(const std::vector<std::string>& more) {
    inputs_.insert(inputs_.end(), more.begin(), more.end());
  }
  int Run();

 private:
  int MergeRuns();
  int MergeGrades();

  CLI::App* cmd_;
  std::vector<std::string> inputs_, reports_;
  std::string grade_suite_, out_;
};

}  // namespace proclab::cli
