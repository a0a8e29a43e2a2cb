// proclab grade SUITE SUBMISSIONS... --out DIR: runs a grading suite against
// every submission of a class and writes the gradebook (docs/grading.md).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace proclab::cli {

class GradeCommand {
 public:
  explicit GradeCommand(CLI::App& app);
  [[nodiscard]] bool chosen() const { return cmd_->parsed(); }
  void AddPaths(const std::vector<std::string>& more) {
    paths_.insert(paths_.end(), more.begin(), more.end());
  }
  int Run();

 private:
  CLI::App* cmd_;
  std::vector<std::string> paths_;  // SUITE, then the submission folders
  std::string out_, policy_ = "min", isolation_ = "auto";
  std::string cpus_;  // --cpus N|LIST
  std::vector<std::string> reports_;
  int jobs_ = 0;
  int repeat_ = 1;
  bool force_ = false;
};

}  // namespace proclab::cli
