// A grading suite's grade.yaml (docs/grading.md): how to find, build and run
// each submission, which scenarios students may see, and the points.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab {

struct GradeConfig {
  std::string file;  // the grade.yaml it came from
  // Globs tried in order inside a submission folder; the first that matches
  // exactly one file names the entry.
  std::vector<std::string> entry = {"main.py", "*.py", "main.c", "*.c"};
  // Per language (the entry's extension: "py", "c", …): shell commands with
  // {entry} for the entry's path inside the submission.
  // Defaults: C is compiled with cc; Python runs with the real interpreter
  // (never a pyenv shim); shell scripts with /bin/sh. grade.yaml adds to them.
  std::map<std::string, std::string> build = {{"c", "cc -O1 -o prog {entry}"}};
  std::map<std::string, std::string> run = {
      {"py", "/usr/bin/python3 {entry}"}, {"c", "./prog"}, {"sh", "/bin/sh {entry}"}};
  std::vector<std::string> hidden;        // scenarios students see by name and points only
  std::map<std::string, double> points;   // scenario -> its points, over the scenario's own
  double rounding = 0.01;                 // totals are rounded to a multiple of this
  int64_t build_timeout_us = 60'000'000;  // a build that takes longer fails
  int64_t max_unpacked = 64 << 20;        // an archive may not unpack to more than this

  [[nodiscard]] bool Hidden(const std::string& scenario) const;
};

// Reads DIR/grade.yaml; errors carry file:line:column.
Result<GradeConfig> LoadGradeConfig(const std::string& path);

// "py" for main.py, "c" for prog.c, "" without an extension.
std::string LanguageOf(const std::string& entry);
// The command with each {entry} replaced.
std::string WithEntry(const std::string& command, const std::string& entry);

}  // namespace proclab
