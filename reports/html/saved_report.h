// Reading back what proclab saved, to draw it again: a trace JSON (§4 of
// docs/design.md, from `trace --json`) or a results JSON (`run --report
// json:`), whose runs carry their verdicts, evidence and whole trace.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/base/error.h"
#include "runner/results/scenario_result.h"

namespace proclab::html {

struct SavedRun {
  ScenarioResult result;
  std::string reason;  // the report's "reason"
};

struct SavedReport {
  bool trace = false;  // a bare trace: one run, no verdicts
  std::vector<SavedRun> runs;
  bool interrupted = false;
};

Result<SavedReport> ReadSavedReport(const nlohmann::json& j);

}  // namespace proclab::html
