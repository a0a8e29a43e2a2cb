#include "runner/results/scenario_result.h"

#include <fmt/format.h>

namespace proclab {

std::string ScenarioResult::Reason() const {
  if (!error.empty()) return error.substr(0, error.find('\n'));
  for (const auto& st : failed_steps) return st.message.substr(0, st.message.find('\n'));
  for (const auto& v : verdicts)
    if (!v.passed) return v.expectation + ": " + v.explanation.substr(0, v.explanation.find('\n'));
  return {};
}

std::string ScenarioResult::DisplayName() const {
  return attempt > 0 ? fmt::format("{} #{}", scenario, attempt + 1) : scenario;
}

}  // namespace proclab
