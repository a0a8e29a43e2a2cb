#include "runner/results/results_json.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runner/results/measured_json.h"
#include "runner/timeline/trace_json.h"

namespace proclab {
namespace {

using nlohmann::json;

Result<Verdict> VerdictFromJson(const json& j) {
  if (!j.is_object()) return Error("a verdict is not an object");
  Verdict v;
  v.expectation = j.at("expectation").get<std::string>();
  v.passed = j.at("passed").get<bool>();
  v.skipped = j.value("skipped", false);
  v.explanation = j.at("explanation").get<std::string>();
  if (const json& where = j.value("where", json()); where.is_object()) {
    v.loc.file = where.at("file").get<std::string>();
    v.loc.line = where.at("line").get<int>();
    v.loc.column = where.at("column").get<int>();
  }
  // Indices into the run's own events (the html page lights them): kept as
  // written, so a merged report points at the same events.
  if (const json& e = j.value("evidence", json()); e.is_array())
    v.evidence = e.get<std::vector<size_t>>();
  // A timing figure and its statistics across repeats: merge judges them again.
  if (const json& m = j.value("measured", json()); m.is_object()) v.measured = MeasuredFromJson(m);
  return v;
}

Result<ScenarioResult> RunFromJson(const json& j) {
  if (!j.is_object()) return Error("not an object");
  ScenarioResult r;
  r.scenario = j.at("scenario").get<std::string>();
  r.file = j.at("file").get<std::string>();
  r.path = j.value("path", std::string());
  r.tags = j.at("tags").get<std::vector<std::string>>();
  r.points = j.at("points").get<double>();
  r.attempt = j.at("attempt").get<int>();
  r.passed = j.at("passed").get<bool>();
  r.wall_us = std::llround(j.at("seconds").get<double>() * 1e6);
  r.error = j.at("error").get<std::string>();
  r.internal_error = j.value("internal_error", false);
  r.cancelled = j.at("cancelled").get<bool>();
  r.tty_rerun = j.value("tty_rerun", false);
  r.roles_note = j.value("roles", std::string());
  for (const auto& st : j.at("failed_steps")) r.failed_steps.push_back(StepResultFromJson(st));
  for (const auto& vj : j.at("verdicts")) {
    auto v = VerdictFromJson(vj);
    if (!v) return v.error();
    r.verdicts.push_back(std::move(*v));
  }
  auto timeline = TimelineFromJson(j.at("trace"));
  if (!timeline) return Error("its trace: " + timeline.error().message);
  r.timeline = std::move(*timeline);
  return r;
}

Result<ScenarioResult> RunFromJsonChecked(const json& j) {
  try {
    return RunFromJson(j);
  } catch (const json::exception& ex) {
    return Error(ex.what());
  }
}

}  // namespace

Result<ResultsFile> ParseResults(const std::string& text, const std::string& path) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return Error(fmt::format("{}: not JSON", path));
  if (!doc.is_object() || doc.value("proclab_results", 0) != 1)
    return Error(fmt::format(
        "{}: not a proclab results file (expected \"proclab_results\": 1, as --report json "
        "writes)",
        path));
  ResultsFile out;
  out.path = path;
  if (doc.contains("plan")) {
    auto plan = PlanFromJson(doc["plan"], path);
    if (!plan) return plan.error();
    out.plan = std::move(*plan);
  }
  if (!doc.contains("runs") || !doc["runs"].is_array())
    return Error(fmt::format("{}: it has no \"runs\" list", path));
  size_t i = 0;
  for (const auto& j : doc["runs"]) {
    auto r = RunFromJsonChecked(j);
    if (!r) return Error(fmt::format("{}: runs[{}]: {}", path, i, r.error().message));
    out.runs.push_back(std::move(*r));
    ++i;
  }
  // A report cut short (proclab killed, a disk full) has no summary: its
  // runs may be fine, but nobody can say how many are missing.
  const json summary = doc.value("summary", json());
  if (!summary.is_object())
    return Error(fmt::format("{}: it has no summary: the run that wrote it did not finish", path));
  out.interrupted = summary.value("interrupted", false);
  out.not_run = summary.value("not_run", size_t{0});
  return out;
}

Result<ResultsFile> ReadResultsFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error(fmt::format("{}: cannot be read", path));
  std::ostringstream text;
  text << f.rdbuf();
  return ParseResults(text.str(), path);
}

}  // namespace proclab
