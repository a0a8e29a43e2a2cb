// TAP version 13: "ok N - name", and the failures' explanations as YAML.
// The plan comes first, from the number of runs the suite means to make.
#include <fmt/format.h>

#include "reports/reporters.h"
#include "runner/base/text.h"

namespace proclab {
namespace {

class Tap : public ResultSink {
 public:
  explicit Tap(std::unique_ptr<ReportFile> file) : file_(std::move(file)) {}

  void OnStart(size_t runs) override {
    file_->Write(fmt::format("TAP version 13\n1..{}\n", runs));
    file_->Flush();
  }

  void OnResult(const ScenarioResult& r) override {
    std::string out =
        fmt::format("{} {} - {}\n", r.passed ? "ok" : "not ok", ++n_, r.DisplayName());
    if (!r.passed) {
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
    file_->Write(EscapeControls(out));
    file_->Flush();
  }

  void OnEnd(const SuiteSummary& s) override {
    // Runs the plan promised but Ctrl-C prevented: TAP readers see them missing.
    if (s.interrupted) file_->Write(fmt::format("# interrupted: {} not run\n", s.planned - s.runs));
    file_->Flush();
  }

 private:
  std::unique_ptr<ReportFile> file_;
  int n_ = 0;
};

}  // namespace

std::unique_ptr<ResultSink> MakeTapReporter(std::unique_ptr<ReportFile> file) {
  return std::make_unique<Tap>(std::move(file));
}

}  // namespace proclab
