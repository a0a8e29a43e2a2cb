// A finished run as a page: the one path from a ScenarioResult (live, or read
// back from a results JSON) to what the page shows.
#pragma once

#include <string>

#include "reports/html/page_model.h"
#include "runner/results/scenario_result.h"

namespace proclab::html {

// `reason`: the run's first failure in one line (ScenarioResult::Reason, or
// the saved report's "reason").
PageRun RunPage(const ScenarioResult& r, const std::string& reason);
// A bare trace: no verdicts.
PageRun TracePage(const Timeline& t);

}  // namespace proclab::html
