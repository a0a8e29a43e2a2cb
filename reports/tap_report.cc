// TAP version 13: "ok N - name", and the failures' explanations as YAML.
// The plan comes first, from the number of runs the suite means to make.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "reports/reporters.h"
#include "runner/base/text.h"
#include "runner/results/repeat_stats.h"

namespace proclab {
namespace {

// A YAML double-quoted scalar: a JSON string is one.
std::string Quoted(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A YAML literal block, indented under a key at column 2; the indentation
// is stated, so a first line that starts with spaces cannot change it.
std::string Block(const std::string& text) {
  std::string out = "|2-\n";
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += "    " + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The run's explanation: its error, failed steps and failed expectations.
std::string TapExplanation(const ScenarioResult& r) {
  std::string out;
  if (!r.error.empty()) out += r.error + "\n";
  for (const auto& st : r.failed_steps) out += st.message + "\n";
  for (const auto& v : r.verdicts)
    if (!v.passed) out += fmt::format("{}\n  {}\n", v.expectation, v.explanation);
  return out.empty() ? "(none)" : out;
}

class Tap : public ResultSink {
 public:
  Tap(std::unique_ptr<ReportFile> file, const ArtifactLinks* links)
      : file_(std::move(file)), links_(links) {}

  void OnStart(size_t runs) override {
    file_->Write(fmt::format("TAP version 13\n1..{}\n", runs));
    file_->Flush();
  }

  void OnResult(const ScenarioResult& r) override {
    std::string out =
        fmt::format("{} {} - {}\n", r.passed ? "ok" : "not ok", ++n_, r.DisplayName());
    const std::string report = links_ ? links_->For(r) : "";
    if (!r.passed || !report.empty()) {
      out += "  ---\n";
      if (!r.passed) {
        out += "  reason: |\n    " + r.Reason() + "\n";
        out += "  explanation: " + Block(TapExplanation(r)) + "\n";
        // What the verdicts rest on: each failed expectation and where it
        // is written.
        out += "  evidence:\n";
        bool any = false;
        for (const auto& v : r.verdicts) {
          if (v.passed) continue;
          any = true;
          out += "    - expectation: " + Quoted(v.expectation) + "\n";
          if (v.loc.Known())
            out +=
                fmt::format("      where: {}\n",
                            Quoted(fmt::format("{}:{}:{}", v.loc.file, v.loc.line, v.loc.column)));
        }
        for (const auto& st : r.failed_steps) {
          any = true;
          out += fmt::format("    - step: {}\n      t_us: {}\n", st.index + 1, st.t_us);
        }
        if (!any) out.replace(out.size() - 1, 1, " []\n");
      }
      if (!report.empty()) out += "  report: " + Quoted(report) + "\n";
      out += "  ...\n";
    }
    file_->Write(EscapeControls(out));
    file_->Flush();
  }

  // The plan, written first, counts runs: a statistic across repeats is a
  // diagnostic line, and the summary at the end says if one failed.
  void OnAcrossRuns(const AcrossRuns& a) override {
    file_->Write(
        EscapeControls(fmt::format("# across repeats: {} {}\n#   {}\n", a.passed ? "ok" : "not ok",
                                   a.DisplayName(), a.explanation)));
    file_->Flush();
  }

  void OnEnd(const SuiteSummary& s) override {
    if (s.across_failed)
      file_->Write(
          fmt::format("# {} of {} statistics across repeats failed\n", s.across_failed, s.across));
    // Runs the plan promised but Ctrl-C prevented: TAP readers see them missing.
    if (s.interrupted) file_->Write(fmt::format("# interrupted: {} not run\n", s.planned - s.runs));
    file_->Flush();
  }

 private:
  std::unique_ptr<ReportFile> file_;
  const ArtifactLinks* links_;
  int n_ = 0;
};

}  // namespace

std::unique_ptr<ResultSink> MakeTapReporter(std::unique_ptr<ReportFile> file,
                                            const ArtifactLinks* links) {
  return std::make_unique<Tap>(std::move(file), links);
}

}  // namespace proclab
