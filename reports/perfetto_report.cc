// --report perfetto:FILE: every run of the suite in the Trace Event Format
// (trace_events.h), one TEF process per run, written as runs finish.
#include "reports/reporters.h"
#include "reports/trace_events.h"

namespace proclab {
namespace {

class Perfetto : public ResultSink, public RunArtifacts {
 public:
  [[nodiscard]] std::string ArtifactFor(const ScenarioResult&) const override {
    return file_->path() == "-" ? "" : file_->path();
  }
  [[nodiscard]] int ArtifactRank() const override { return kPerfettoRank; }

  explicit Perfetto(std::unique_ptr<ReportFile> file)
      : file_(std::move(file)), writer_([this](std::string_view s) { file_->Write(s); }) {}

  void OnStart(size_t) override { writer_.Begin(); }

  void OnResult(const ScenarioResult& r) override {
    std::string label = r.DisplayName() + (r.passed ? " ✓" : " ✗");
    writer_.AddRun(r.timeline, ++runs_, label);
    file_->Flush();
  }

  void OnEnd(const SuiteSummary&) override {
    writer_.End();
    file_->Flush();
  }

 private:
  std::unique_ptr<ReportFile> file_;
  TraceEventWriter writer_;
  int runs_ = 0;
};

}  // namespace

std::unique_ptr<ResultSink> MakePerfettoReporter(std::unique_ptr<ReportFile> file) {
  return std::make_unique<Perfetto>(std::move(file));
}

}  // namespace proclab
