// The trace JSON of docs/design.md §4, and the JSON form of single events that the
// lab streams to the runner (one per line).
#pragma once

#include <nlohmann/json.hpp>

#include "runner/base/error.h"
#include "runner/timeline/timeline.h"

namespace proclab {

nlohmann::json EventToJson(const Event& e);
Result<Event> EventFromJson(const nlohmann::json& j);

nlohmann::json ProcessToJson(const ProcessRecord& p);
nlohmann::json StepResultToJson(const StepResult& s);
StepResult StepResultFromJson(const nlohmann::json& j);
nlohmann::json SummaryToJson(const RunSummary& s);
RunSummary SummaryFromJson(const nlohmann::json& j);
nlohmann::json LabInfoToJson(const LabInfo& lab);
LabInfo LabInfoFromJson(const nlohmann::json& j);

// {"proclab_trace": 1, "command", "lab", "processes", "events", …}
nlohmann::json TimelineToJson(const Timeline& t);
Result<Timeline> TimelineFromJson(const nlohmann::json& j);

}  // namespace proclab
