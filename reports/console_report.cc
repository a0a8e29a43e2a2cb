// The console: a line per run as it finishes with a running count, then the
// failures explained, then flakiness (with --repeat) and the totals.
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "reports/reporters.h"
#include "runner/base/diagnostic.h"
#include "runner/base/text.h"
#include "runner/base/units.h"
#include "runner/results/repeat_stats.h"

namespace proclab {
namespace {

class Console : public ResultSink {
 public:
  Console(FILE* out, bool color) : out_(out), color_(color) {}

  void OnStart(size_t runs) override { total_ = runs; }

  void OnResult(const ScenarioResult& r) override {
    ++done_;
    const std::string name = r.DisplayName();
    std::string mark = r.passed ? Paint("32", "✓") : Paint("31", "✗");
    std::string line = fmt::format("[{:>{}}/{}] {} {:<40} {:>7}s", done_, Width(), total_, mark,
                                   name, FormatSeconds(r.wall_us));
    if (!r.passed) line += "  " + Paint("31", Shorten(r.Reason(), 100));
    fmt::print(out_, "{}\n", EscapeControls(line, false));
    fflush(out_);
    auto& t = tally_[r.scenario];
    t.first += r.passed;
    ++t.second;
    if (!r.passed) explanations_.push_back(Explain(r));
  }

  // A line as soon as the last run of its scenario is in; the distribution
  // again at the end, with the other statistics.
  void OnAcrossRuns(const AcrossRuns& a) override {
    std::string mark = a.passed ? Paint("32", "✓") : Paint("31", "✗");
    std::string line = fmt::format("[{:>{}}] {} {}", "Σ", Width(), mark, a.DisplayName());
    fmt::print(out_, "{}\n", EscapeControls(line, false));
    fflush(out_);
    std::string where =
        a.loc.Known() && a.loc.line ? fmt::format("  ({}:{})", a.loc.file, a.loc.line) : "";
    across_.push_back(fmt::format("  {} {}{}\n{}\n", mark, a.DisplayName(), Paint("2", where),
                                  Indent(a.explanation, "      ")));
  }

  void OnEnd(const SuiteSummary& summary) override {
    if (!explanations_.empty()) fmt::print(out_, "\n{}\n", Paint("1", "Failures"));
    for (const auto& text : explanations_) fmt::print(out_, "{}", EscapeControls(text));
    Flakiness();
    if (!across_.empty()) fmt::print(out_, "\n{}\n", Paint("1", "Across repeats"));
    for (const auto& text : across_) fmt::print(out_, "{}", EscapeControls(text));
    fmt::print(out_, "\n{} run{}: {} passed, {} failed{}{}\n", summary.runs,
               summary.runs == 1 ? "" : "s", summary.passed, summary.failed,
               summary.interrupted
                   ? fmt::format(", {} not run (interrupted)", summary.planned - summary.runs)
                   : "",
               summary.across ? fmt::format("; {} of {} statistic{} across repeats failed",
                                            summary.across_failed, summary.across,
                                            summary.across == 1 ? "" : "s")
                              : "");
    fflush(out_);
  }

 private:
  [[nodiscard]] int Width() const { return static_cast<int>(std::to_string(total_).size()); }

  std::string Paint(const char* code, const std::string& text) const {
    return color_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
  }

  static std::string Shorten(const std::string& s, size_t n) {
    return s.size() <= n ? s : s.substr(0, n) + "…";
  }

  static std::string Indent(const std::string& text, const std::string& pad) {
    std::string out = pad;
    for (char c : text) {
      out += c;
      if (c == '\n') out += pad;
    }
    return out;
  }

  // What a failed run comes to, printed at the end with the others. Only
  // this text is kept, not the run.
  [[nodiscard]] std::string Explain(const ScenarioResult& r) const {
    std::string out;
    out += fmt::format("\n{} {} ({})\n", Paint("31", "✗"), r.DisplayName(), r.file);
    if (!r.error.empty()) out += fmt::format("{}\n", Indent(r.error, "    "));
    for (const auto& st : r.failed_steps) out += fmt::format("{}\n", Indent(st.message, "    "));
    if (!r.roles_note.empty()) out += fmt::format("    {}\n", r.roles_note);
    for (const auto& v : r.verdicts) {
      if (v.passed) continue;
      std::string where =
          v.loc.Known() && v.loc.line ? fmt::format("  ({}:{})", v.loc.file, v.loc.line) : "";
      out += fmt::format("  {} {}{}\n{}\n", Paint("31", "✗"), v.expectation, Paint("2", where),
                         Indent(v.explanation, "      "));
    }
    int passed = 0;
    for (const auto& v : r.verdicts) passed += v.passed;
    if (passed)
      out += fmt::format("  {} other expectation{} held\n", passed, passed == 1 ? "" : "s");
    return out;
  }

  void Flakiness() {
    bool header = false;
    for (const auto& [name, t] : tally_) {
      if (t.second < 2 || t.first == 0 || t.first == t.second) continue;
      if (!header) fmt::print(out_, "\n{}\n", Paint("1", "Flaky (results differ between runs)"));
      header = true;
      fmt::print(out_, "  {} passed {}/{} ({:.0f}%)\n", name, t.first, t.second,
                 100.0 * t.first / t.second);
    }
  }

  FILE* out_;
  bool color_;
  size_t total_ = 0;
  size_t done_ = 0;
  std::map<std::string, std::pair<int, int>> tally_;  // name -> (passed, runs)
  std::vector<std::string> explanations_;             // of the failed runs
  std::vector<std::string> across_;                   // statistics across repeats
};

}  // namespace

std::unique_ptr<ResultSink> MakeConsoleReporter(FILE* out, bool color) {
  return std::make_unique<Console>(out, color);
}

}  // namespace proclab
