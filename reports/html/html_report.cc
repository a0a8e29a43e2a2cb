#include "reports/html/html_report.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "reports/html/html_page.h"
#include "reports/html/run_page.h"
#include "reports/reporters.h"

namespace proclab::html {
namespace {

namespace fs = std::filesystem;

// A name safe in a file name: anything but letters, digits, - _ . and
// UTF-8 becomes '_'.
std::string FileWord(const std::string& name) {
  std::string out;
  for (unsigned char c : name)
    out += (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c >= 0x80) ? static_cast<char>(c)
                                                                              : '_';
  return out.substr(0, 80);
}

Status WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::trunc | std::ios::binary);
  f << text;
  f.close();
  if (!f) return Error(fmt::format("cannot write {}: {}", path.string(), strerror(errno)));
  return Status::Ok();
}

struct Row {
  std::string subject, name, file, page, reason;
  bool passed = false, cancelled = false;
  int attempt = 0;
  double seconds = 0;
  size_t failed = 0, expectations = 0;
};

// The statistics across repeats: what each held to, and the figures.
std::string AcrossTable(const std::vector<AcrossRuns>& across) {
  if (across.empty()) return {};
  size_t held = 0;
  std::string body;
  for (const AcrossRuns& a : across) {
    held += a.passed;
    std::string figures;
    for (const auto& [attempt, value] : a.values)
      figures += fmt::format("{}#{} {}", figures.empty() ? "" : ", ", attempt + 1,
                             FormatFigure(value, a.unit));
    body += fmt::format(
        "<tr class=\"{}\"><td class=\"v\">{}</td>{}<td>{}</td><td>{}:{}</td>"
        "<td class=\"n\">{}</td><td>{}<div class=\"a\">{}</div></td></tr>\n",
        a.passed ? "pass" : "fail", a.passed ? "✓" : "✗",
        a.subject.empty() ? "" : fmt::format("<td>{}</td>", Escape(a.subject)),
        Escape(a.DisplayName()), Escape(a.loc.file.empty() ? a.file : a.loc.file), a.loc.line,
        a.runs, Escape(a.explanation), Escape(figures));
  }
  const bool grading = !across.front().subject.empty();
  return fmt::format(
      "<h2>{} of {} statistic{} across repeats held</h2>\n<table class=\"across\">\n"
      "<tr><th></th>{}<th>expectation</th><th>where</th><th>runs</th><th>the figures</th></tr>\n"
      "{}</table>\n",
      held, across.size(), across.size() == 1 ? "" : "s", grading ? "<th>submission</th>" : "",
      body);
}

// "; 1 of 2 statistics across repeats failed", for the heading.
std::string AcrossFailed(const std::vector<AcrossRuns>& across) {
  size_t failed = 0;
  for (const AcrossRuns& a : across) failed += !a.passed;
  if (failed == 0) return {};
  return fmt::format("; {} of {} statistic{} across repeats failed", failed, across.size(),
                     across.size() == 1 ? "" : "s");
}

std::string Index(const std::vector<Row>& rows, bool interrupted,
                  const std::vector<AcrossRuns>& across = {}) {
  bool grading = false;
  size_t passed = 0;
  for (const Row& r : rows) {
    grading = grading || !r.subject.empty();
    passed += r.passed;
  }
  std::string body;
  for (const Row& r : rows) {
    body += fmt::format(
        "<tr class=\"{}\"><td class=\"v\">{}</td>{}<td><a href=\"{}\">{}</a>{}</td><td>{}</td>"
        "<td class=\"n\">{}/{}</td><td class=\"n\">{:.2f}s</td><td class=\"why\">{}</td></tr>\n",
        r.passed ? "pass" : "fail", r.passed ? "✓" : "✗",
        grading ? fmt::format("<td>{}</td>", Escape(r.subject)) : "", Escape(r.page),
        Escape(r.name),
        r.attempt > 0 ? fmt::format(" <span class=\"a\">#{}</span>", r.attempt + 1) : "",
        Escape(r.file), r.expectations - r.failed, r.expectations, r.seconds,
        Escape(r.cancelled ? "cancelled" : r.reason));
  }
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n<link rel=\"icon\" href=\"data:,\">\n"
      "<title>proclab: {} of {} passed</title>\n<style>\n"
      "body{{margin:18px;font:13px/1.45 system-ui,'Noto Sans','Noto Sans CJK SC',sans-serif;"
      "color:#1f2328}}\nh1{{font-size:19px;margin:0 0 10px}}\n"
      "table{{border-collapse:collapse}}\nth,td{{padding:4px 10px;border-bottom:1px solid "
      "#eaecf0;text-align:left;vertical-align:top}}\nth{{color:#667085;font-weight:600}}\n"
      "td.v{{font-weight:700;font-size:15px}}\ntr.pass td.v{{color:#15803d}}\n"
      "tr.fail td.v{{color:#b91c1c}}\ntd.n{{text-align:right;white-space:nowrap}}\n"
      "td.why{{color:#b91c1c;max-width:60ch}}\n.a{{color:#667085}}\na{{color:#1d4ed8}}\n"
      "h2{{font-size:16px;margin:22px 0 8px}}\ntable.across td{{max-width:70ch}}\n"
      "</style>\n</head>\n<body>\n<h1>{} of {} run{} passed{}</h1>\n<table>\n<tr><th></th>{}"
      "<th>scenario</th><th>file</th><th>expectations met</th><th>time</th><th>why it "
      "failed</th></tr>\n{}</table>\n{}</body>\n</html>\n",
      passed, rows.size(), passed, rows.size(), rows.size() == 1 ? "" : "s",
      (interrupted ? std::string(" (interrupted: the runs not made are missing)") : "") +
          AcrossFailed(across),
      grading ? "<th>submission</th>" : "", body, AcrossTable(across));
}

class Writer : public HtmlReportWriter {
 public:
  explicit Writer(fs::path dir) : dir_(std::move(dir)) {}

  void Add(const ScenarioResult& r, const std::string& reason) override {
    Row row;
    row.subject = r.subject;
    row.name = r.scenario;
    row.file = r.file;
    row.passed = r.passed;
    row.cancelled = r.cancelled;
    row.attempt = r.attempt;
    row.seconds = static_cast<double>(r.wall_us) / 1e6;
    row.reason = reason;
    row.expectations = r.verdicts.size();
    for (const Verdict& v : r.verdicts) row.failed += !v.passed;
    row.page = PageFor(r);
    if (Status st = WriteFile(dir_ / row.page, RenderPage(RunPage(r, reason))); !st)
      Warn(st.error().message);
    rows_.push_back(std::move(row));
  }

  void AddAcross(const AcrossRuns& a) override { across_.push_back(a); }

  Status Finish(bool interrupted) override {
    return WriteFile(dir_ / "index.html", Index(rows_, interrupted, across_));
  }

  // A run's page, named when first asked for: by Add, or earlier by another
  // report that links to it (JUnit's attachment), whichever comes first.
  std::string PageFor(const ScenarioResult& r) override {
    const std::string key = fmt::format("{}\n{}\n{}\n{}", r.subject, r.file, r.scenario, r.attempt);
    auto [it, fresh] = pages_.try_emplace(key);
    if (fresh) {
      std::string stem = FileWord(r.scenario);
      if (!r.subject.empty()) stem = FileWord(r.subject) + "-" + stem;
      if (r.attempt > 0) stem += fmt::format("-{}", r.attempt + 1);
      it->second = fmt::format("runs/{:04}-{}.html", pages_.size(), stem);
    }
    return it->second;
  }

 private:
  std::map<std::string, std::string> pages_;
  void Warn(const std::string& what) {
    if (!warned_) fmt::print(stderr, "proclab: html report: {}\n", what);
    warned_ = true;
  }
  fs::path dir_;
  std::vector<Row> rows_;
  std::vector<AcrossRuns> across_;
  bool warned_ = false;
};

class HtmlReport : public ResultSink, public RunArtifacts {
 public:
  HtmlReport(std::unique_ptr<HtmlReportWriter> w, std::string dir)
      : w_(std::move(w)), dir_(std::move(dir)) {}
  [[nodiscard]] std::string ArtifactFor(const ScenarioResult& r) const override {
    return (fs::path(dir_) / w_->PageFor(r)).string();
  }
  [[nodiscard]] int ArtifactRank() const override { return kHtmlRank; }
  void OnResult(const ScenarioResult& r) override { w_->Add(r, r.Reason()); }
  void OnAcrossRuns(const AcrossRuns& a) override { w_->AddAcross(a); }
  void OnEnd(const SuiteSummary& s) override {
    if (Status st = w_->Finish(s.interrupted); !st)
      fmt::print(stderr, "proclab: html report: {}\n", st.error().message);
  }

 private:
  std::unique_ptr<HtmlReportWriter> w_;
  std::string dir_;  // as given
};

}  // namespace

Result<std::unique_ptr<HtmlReportWriter>> MakeHtmlReportWriter(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "runs", ec);
  if (ec) return Error(fmt::format("cannot create the folder {}: {}", dir, ec.message()));
  // Written now, and again at the end: a folder that cannot be written is
  // known before anything runs.
  if (Status st = WriteFile(fs::path(dir) / "index.html", Index({}, false)); !st) return st.error();
  return std::unique_ptr<HtmlReportWriter>(new Writer(dir));
}

Result<std::unique_ptr<ResultSink>> MakeHtmlReporter(const std::string& dir) {
  auto w = MakeHtmlReportWriter(dir);
  if (!w) return w.error();
  return std::unique_ptr<ResultSink>(new HtmlReport(std::move(*w), dir));
}

}  // namespace proclab::html
