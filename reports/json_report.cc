// The JSON report: every run with its verdicts and its whole trace (§4), so a
// result can be re-read, merged across shards or graded elsewhere. Runs are
// written as they finish; the summary comes last.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "reports/reporters.h"
#include "runner/results/measured_json.h"
#include "runner/results/repeat_stats.h"
#include "runner/timeline/trace_json.h"

namespace proclab {
namespace {

using nlohmann::json;

// A stand-in no report text can contain: dump() escapes control characters.
constexpr const char* kTracePlaceholder = "\x01trace\x01";

json LocToJson(const SourceLoc& loc) {
  if (!loc.Known()) return nullptr;
  return {{"file", loc.file}, {"line", loc.line}, {"column", loc.column}};
}

json OptionalNumber(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

json AcrossToJson(const AcrossRuns& a) {
  json values = json::array();
  for (const auto& [attempt, value] : a.values)
    values.push_back({{"attempt", attempt}, {"value", value}});
  json stats = json::array();
  for (const auto& st : a.stats)
    stats.push_back({{"written", st.written},
                     {"stat", st.stat},
                     {"value", OptionalNumber(st.value)},
                     {"min", OptionalNumber(st.min)},
                     {"max", OptionalNumber(st.max)},
                     {"passed", st.passed}});
  const Distribution& d = a.distribution;
  json out = {{"scenario", a.scenario},
              {"expectation", a.expectation},
              {"where", LocToJson(a.loc)},
              {"unit", a.unit},
              {"runs", a.runs},
              {"passed", a.passed},
              {"explanation", a.explanation},
              {"values", values},
              {"missing", a.missing},
              {"distribution",
               {{"n", d.n},
                {"min", d.min},
                {"median", d.median},
                {"mean", d.mean},
                {"p90", d.p90},
                {"max", d.max}}},
              {"stats", stats}};
  if (!a.path.empty()) out["path"] = a.path;
  return out;
}

json RunToJson(const ScenarioResult& r) {
  json verdicts = json::array();
  for (const auto& v : r.verdicts) {
    verdicts.push_back({{"expectation", v.expectation},
                        {"passed", v.passed},
                        {"skipped", v.skipped},
                        {"explanation", v.explanation},
                        {"evidence", v.evidence},
                        {"where", LocToJson(v.loc)}});
    if (v.measured) verdicts.back()["measured"] = MeasuredToJson(*v.measured);
  }
  json steps = json::array();
  for (const auto& st : r.failed_steps) steps.push_back(StepResultToJson(st));
  json run = {{"scenario", r.scenario},     {"file", r.file},        {"tags", r.tags},
              {"points", r.points},         {"attempt", r.attempt},  {"passed", r.passed},
              {"seconds", r.wall_us / 1e6}, {"reason", r.Reason()},  {"error", r.error},
              {"cancelled", r.cancelled},   {"failed_steps", steps}, {"verdicts", verdicts}};
  if (!r.path.empty()) run["path"] = r.path;
  if (r.internal_error) run["internal_error"] = true;
  if (!r.roles_note.empty()) run["roles"] = r.roles_note;
  if (!r.process_names.empty()) {
    json names = json::object();
    for (const auto& [id, name] : r.process_names) names[std::to_string(id)] = name;
    run["process_names"] = names;
  }
  if (r.tty_rerun) run["tty_rerun"] = true;
  run["trace"] = kTracePlaceholder;
  return run;
}

// The run without its trace, which is streamed in its place (see WriteTimelineJson).
void WriteRun(const ScenarioResult& r, ReportFile* file) {
  const std::string text = DumpIndented(RunToJson(r), 2);
  const std::string quoted = json(kTracePlaceholder).dump();
  const size_t at = text.find(quoted);
  file->Write(text.substr(0, at));
  WriteTimelineJson(r.timeline, 3, [&](std::string_view s) { file->Write(s); });
  file->Write(text.substr(at + quoted.size()));
}

class JsonReport : public ResultSink, public RunArtifacts {
 public:
  [[nodiscard]] std::string ArtifactFor(const ScenarioResult&) const override {
    return file_->path() == "-" ? "" : file_->path();
  }
  [[nodiscard]] int ArtifactRank() const override { return kJsonRank; }

  explicit JsonReport(std::unique_ptr<ReportFile> file) : file_(std::move(file)) {}

  void OnPlan(const SuitePlan& plan) override { plan_ = PlanToJson(plan); }

  void OnStart(size_t) override {
    file_->Write("{\n  \"proclab_results\": 1,\n");
    if (!plan_.is_null()) file_->Write(fmt::format("  \"plan\": {},\n", plan_.dump(-1)));
    file_->Write("  \"runs\": [");
  }

  void OnResult(const ScenarioResult& r) override {
    file_->Write(runs_++ ? ",\n" : "\n");
    WriteRun(r, file_.get());
    file_->Flush();
  }

  // Kept until the end: one small entry per expectation with statistics.
  void OnAcrossRuns(const AcrossRuns& a) override { across_.push_back(AcrossToJson(a)); }

  void OnEnd(const SuiteSummary& s) override {
    json summary = {{"runs", s.runs},
                    {"passed", s.passed},
                    {"failed", s.failed},
                    {"interrupted", s.interrupted},
                    {"not_run", s.planned - s.runs}};
    if (s.across) {
      summary["across"] = s.across;
      summary["across_failed"] = s.across_failed;
    }
    file_->Write(runs_ ? "\n  ]" : "]");
    if (!across_.empty())
      file_->Write(fmt::format(",\n  \"across_runs\": {}", DumpIndented(across_, 2)));
    file_->Write(fmt::format(",\n  \"summary\": {}\n}}\n", summary.dump(-1)));
    file_->Flush();
  }

 private:
  std::unique_ptr<ReportFile> file_;
  json plan_;
  json across_ = json::array();
  size_t runs_ = 0;
};

}  // namespace

std::unique_ptr<ResultSink> MakeJsonReporter(std::unique_ptr<ReportFile> file) {
  return std::make_unique<JsonReport>(std::move(file));
}

}  // namespace proclab
