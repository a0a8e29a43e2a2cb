// TAP version 13: "ok N - name", and the failures' explanations as YAML.
#include <fmt/format.h>

#include "reports/reporters.h"

namespace proclab {
namespace {

class Tap : public ResultSink {
 public:
  explicit Tap(std::string path) : path_(std::move(path)) {}
  void OnResult(const ScenarioResult&) override {}
  void OnEnd(const std::vector<ScenarioResult>& all, bool) override {
    std::string out = fmt::format("TAP version 13\n1..{}\n", all.size());
    int n = 0;
    for (const auto& r : all) {
      std::string name = r.scenario->name + (r.attempt ? fmt::format(" #{}", r.attempt + 1) : "");
      out += fmt::format("{} {} - {}\n", r.passed ? "ok" : "not ok", ++n, name);
      if (r.passed) continue;
      out += "  ---\n  reason: |\n";
      std::string reason = r.Reason();
      size_t start = 0;
      while (start <= reason.size()) {
        size_t end = reason.find('\n', start);
        out += "    " + reason.substr(start, end - start) + "\n";
        if (end == std::string::npos) break;
        start = end + 1;
      }
      out += "  ...\n";
    }
    WriteReportFile(path_, out);
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<ResultSink> MakeTapReporter(const std::string& path) {
  return std::make_unique<Tap>(path);
}

}  // namespace proclab
