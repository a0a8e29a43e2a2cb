// The JSON report: every run with its verdicts and its whole trace (§4), so a
// result can be re-read, merged across shards or graded elsewhere.
#include <nlohmann/json.hpp>

#include "reports/reporters.h"
#include "runner/timeline/trace_json.h"

namespace proclab {
namespace {

using nlohmann::json;

json LocToJson(const SourceLoc& loc) {
  if (!loc.Known()) return nullptr;
  return {{"file", loc.file}, {"line", loc.line}, {"column", loc.column}};
}

class JsonReport : public ResultSink {
 public:
  explicit JsonReport(std::string path) : path_(std::move(path)) {}
  void OnResult(const ScenarioResult&) override {}
  void OnEnd(const std::vector<ScenarioResult>& all, bool interrupted) override {
    json runs = json::array();
    int failed = 0;
    for (const auto& r : all) {
      failed += !r.passed;
      json verdicts = json::array();
      for (const auto& v : r.verdicts)
        verdicts.push_back({{"expectation", v.expectation},
                            {"passed", v.passed},
                            {"skipped", v.skipped},
                            {"explanation", v.explanation},
                            {"where", LocToJson(v.loc)}});
      json steps = json::array();
      for (const auto& st : r.failed_steps) steps.push_back(StepResultToJson(st));
      runs.push_back({{"scenario", r.scenario->name},
                      {"file", r.scenario->file},
                      {"tags", r.scenario->tags},
                      {"points", r.scenario->points},
                      {"attempt", r.attempt},
                      {"passed", r.passed},
                      {"seconds", r.wall_us / 1e6},
                      {"reason", r.Reason()},
                      {"error", r.error},
                      {"failed_steps", steps},
                      {"verdicts", verdicts},
                      {"trace", TimelineToJson(r.timeline)}});
    }
    json doc = {{"proclab_results", 1},
                {"summary",
                 {{"runs", all.size()},
                  {"passed", all.size() - failed},
                  {"failed", failed},
                  {"interrupted", interrupted}}},
                {"runs", runs}};
    WriteReportFile(path_, doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<ResultSink> MakeJsonReporter(const std::string& path) {
  return std::make_unique<JsonReport>(path);
}

}  // namespace proclab
