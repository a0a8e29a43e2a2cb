#include "reports/reporters.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "reports/html/html_report.h"

namespace proclab {

std::vector<std::string> ReportFormats() {
  return {"console", "json", "junit", "tap", "perfetto", "html"};
}

std::string ArtifactLinks::For(const ScenarioResult& r) const {
  const RunArtifacts* best = nullptr;
  std::string path;
  for (const RunArtifacts* report : reports_) {
    std::string p = report->ArtifactFor(r);
    if (!p.empty() && (!best || report->ArtifactRank() < best->ArtifactRank())) {
      best = report;
      path = std::move(p);
    }
  }
  return path;
}

Status Reporters::AddAll(const std::vector<std::string>& specs) {
  for (const auto& spec : specs) {
    auto r = MakeReporter(spec, links_.get());
    if (!r) return r.error();
    if (const auto* artifacts = dynamic_cast<const RunArtifacts*>(r->get())) links_->Add(artifacts);
    Add(std::move(*r));
  }
  return {};
}

Result<std::unique_ptr<ResultSink>> MakeReporter(const std::string& spec,
                                                 const ArtifactLinks* links) {
  const size_t colon = spec.find(':');
  const std::string format = spec.substr(0, colon);
  const std::string path = colon == std::string::npos ? "-" : spec.substr(colon + 1);
  if (path.empty()) return Error(fmt::format("--report {}: the path after ':' is empty", spec));
  if (format == "console") {
    if (path != "-") return Error("--report console writes to the terminal; it takes no path");
    return MakeConsoleReporter(stdout, isatty(1));
  }
  if (format == "html") {
    // A folder: index.html and one page per run.
    if (path == "-") return Error("--report html needs a folder: html:DIR");
    auto html = html::MakeHtmlReporter(path);
    if (!html) return Error(fmt::format("--report {}: {}", spec, html.error().message));
    return std::move(*html);
  }
  if (format != "json" && format != "junit" && format != "tap" && format != "perfetto")
    return Error(fmt::format(
        "--report {}: unknown format '{}' (console, json, junit, tap, perfetto or html)", spec,
        format));
  // Opened now: a report that cannot be written is refused before anything runs.
  auto file = ReportFile::Open(path);
  if (!file) return Error(fmt::format("--report {}: {}", spec, file.error().message));
  if (format == "json") return MakeJsonReporter(std::move(*file));
  if (format == "junit") return MakeJunitReporter(std::move(*file), links);
  if (format == "perfetto") return MakePerfettoReporter(std::move(*file));
  return MakeTapReporter(std::move(*file), links);
}

void Reporters::OnPlan(const SuitePlan& plan) {
  for (auto& s : sinks_) s->OnPlan(plan);
}
void Reporters::OnStart(size_t runs) {
  for (auto& s : sinks_) s->OnStart(runs);
}
void Reporters::OnResult(const ScenarioResult& r) {
  for (auto& s : sinks_) s->OnResult(r);
}
void Reporters::OnAcrossRuns(const AcrossRuns& a) {
  for (auto& s : sinks_) s->OnAcrossRuns(a);
}
void Reporters::OnEnd(const SuiteSummary& summary) {
  for (auto& s : sinks_) s->OnEnd(summary);
}

Result<std::unique_ptr<ReportFile>> ReportFile::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<ReportFile>(new ReportFile(path, stdout, false));
  FILE* f = fopen(path.c_str(), "w");
  if (!f) return Error(fmt::format("cannot write the report {}: {}", path, strerror(errno)));
  return std::unique_ptr<ReportFile>(new ReportFile(path, f, true));
}

ReportFile::~ReportFile() {
  Flush();
  if (owned_ && fclose(f_) != 0 && !failed_)
    fmt::print(stderr, "proclab: cannot write the report {}: {}\n", path_, strerror(errno));
}

void ReportFile::Write(std::string_view text) {
  if (fwrite(text.data(), 1, text.size(), f_) != text.size() && !failed_) {
    failed_ = true;
    fmt::print(stderr, "proclab: cannot write the report {}: {}\n", path_, strerror(errno));
  }
}

void ReportFile::Flush() { fflush(f_); }

}  // namespace proclab
