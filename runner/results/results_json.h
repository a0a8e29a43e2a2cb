// Reading back the json report (design.md §2.2): `proclab merge` turns the
// runs of several reports into results again and writes them in any format.
// The writer is reports/json_report.cc; what it writes, this reads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/results/scenario_result.h"

namespace proclab {

struct ResultsFile {
  std::string path;
  std::optional<SuitePlan> plan;  // absent in reports written before `merge`
  std::vector<ScenarioResult> runs;
  bool interrupted = false;
  size_t not_run = 0;
};

// Reads and checks a whole report. Errors name the file and, for a run, its
// position ("runs[3]").
Result<ResultsFile> ReadResultsFile(const std::string& path);
// The same, from text already read (tests).
Result<ResultsFile> ParseResults(const std::string& text, const std::string& path);

}  // namespace proclab
