// proclab grade SUITE SUBMISSIONS... --out DIR: runs a grading suite against
// every submission of a class and writes the gradebook (docs/grading.md).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runner/base/error.h"
#include "runner/grade/grade_config.h"
#include "runner/scenario/discovery.h"

namespace proclab::cli {

// SUITE's grade.yaml, scenarios (each must run a program) and their points;
// false after printing why not (status 2).
bool LoadGradingSuite(const std::string& suite, std::optional<GradeConfig>* config, Loaded* loaded,
                      std::vector<std::pair<std::string, double>>* points);
// The suite folder's fingerprint (grade_keys.h), without `out` when it is inside.
Result<std::string> SuiteFingerprint(const std::string& suite, const std::string& out);

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
  std::string out_, policy_ = "min", isolation_ = "auto", shard_;
  int shards_ = 0;
  std::string cpus_;  // --cpus N|LIST
  std::vector<std::string> reports_;
  int jobs_ = 0;
  int repeat_ = 1;
  bool force_ = false;
};

}  // namespace proclab::cli
