#include "reports/html/saved_report.h"

#include <fmt/format.h>

#include "runner/results/measured_json.h"
#include "runner/timeline/trace_json.h"

namespace proclab::html {
namespace {

using nlohmann::json;

Result<SavedRun> RunFromJson(const json& j, size_t n) {
  SavedRun out;
  ScenarioResult& r = out.result;
  try {
    r.scenario = j.value("scenario", "");
    r.subject = j.value("subject", "");
    r.file = j.value("file", "");
    r.attempt = j.value("attempt", 0);
    r.passed = j.value("passed", false);
    r.cancelled = j.value("cancelled", false);
    r.error = j.value("error", "");
    r.roles_note = j.value("roles", "");
    r.wall_us = static_cast<int64_t>(j.value("seconds", 0.0) * 1e6);
    out.reason = j.value("reason", "");
    // Bound first: ranging over items() of value()'s temporary reads freed memory.
    const json names = j.value("process_names", json::object());
    for (const auto& [id, name] : names.items())
      if (name.is_string()) r.process_names[std::stoi(id)] = name.get<std::string>();
    auto trace = TimelineFromJson(j.value("trace", json::object()));
    if (!trace) return Error(fmt::format("run {}: {}", n + 1, trace.error().message));
    r.timeline = std::move(*trace);
    for (const auto& v : j.value("verdicts", json::array())) {
      Verdict verdict;
      verdict.expectation = v.value("expectation", "");
      verdict.passed = v.value("passed", false);
      verdict.skipped = v.value("skipped", false);
      verdict.explanation = v.value("explanation", "");
      if (const json& where = v.value("where", json()); where.is_object()) {
        if (const json& f = where.value("file", json()); f.is_string()) verdict.loc.file = f;
        if (const json& l = where.value("line", json()); l.is_number_integer())
          verdict.loc.line = l;
        if (const json& c = where.value("column", json()); c.is_number_integer())
          verdict.loc.column = c;
      }
      // A timing figure: `report html` judges the statistics across
      // repeats again from these, as `merge` does. One it cannot read is
      // left out.
      if (const json& m = v.value("measured", json()); m.is_object()) {
        try {
          verdict.measured = MeasuredFromJson(m);
        } catch (const json::exception&) {
        }
      }
      // Reports written before evidence existed have none; indices past the
      // trace are dropped, not trusted.
      for (const auto& i : v.value("evidence", json::array()))
        if (i.is_number_unsigned() && i.get<size_t>() < r.timeline.events().size())
          verdict.evidence.push_back(i.get<size_t>());
      r.verdicts.push_back(std::move(verdict));
    }
  } catch (const std::exception& e) {
    return Error(fmt::format("run {}: malformed: {}", n + 1, e.what()));
  }
  return out;
}

}  // namespace

Result<SavedReport> ReadSavedReport(const json& j) {
  SavedReport out;
  if (j.is_object() && j.contains("proclab_trace")) {
    auto t = TimelineFromJson(j);
    if (!t) return t.error();
    out.trace = true;
    out.runs.emplace_back();
    out.runs.back().result.timeline = std::move(*t);
    return out;
  }
  if (!j.is_object() || j.value("proclab_results", 0) != 1)
    return Error(
        "neither a trace (\"proclab_trace\": 1, from trace --json) nor results "
        "(\"proclab_results\": 1, from run --report json:FILE)");
  const json& runs = j.value("runs", json::array());
  for (size_t i = 0; i < runs.size(); ++i) {
    auto run = RunFromJson(runs[i], i);
    if (!run) return run.error();
    out.runs.push_back(std::move(*run));
  }
  out.interrupted = j.value("summary", json::object()).value("interrupted", false);
  return out;
}

}  // namespace proclab::html
