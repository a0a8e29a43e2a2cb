// The trace JSON of docs/design.md §4, and the JSON form of single events that the
// lab streams to the runner (one per line).
#pragma once

#include <functional>
#include <string_view>

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
// The same text as DumpIndented(TimelineToJson(t), levels) but for the first
// line's indent (the caller's line has it, as after `"trace": `), written piece
// by piece: a whole run as one JSON document costs about 1 KiB per event.
void WriteTimelineJson(const Timeline& t, int levels,
                       const std::function<void(std::string_view)>& write);
// j.dump(2), every line shifted right by `levels` indents.
std::string DumpIndented(const nlohmann::json& j, int levels);
Result<Timeline> TimelineFromJson(const nlohmann::json& j);

}  // namespace proclab
