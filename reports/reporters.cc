#include "reports/reporters.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>

namespace proclab {

std::vector<std::string> ReportFormats() { return {"console", "json", "junit", "tap"}; }

Result<std::unique_ptr<ResultSink>> MakeReporter(const std::string& spec) {
  const size_t colon = spec.find(':');
  const std::string format = spec.substr(0, colon);
  const std::string path = colon == std::string::npos ? "-" : spec.substr(colon + 1);
  if (path.empty()) return Error(fmt::format("--report {}: the path after ':' is empty", spec));
  if (format == "console") {
    if (path != "-") return Error("--report console writes to the terminal; it takes no path");
    return MakeConsoleReporter(stdout, isatty(1));
  }
  if (format == "json") return MakeJsonReporter(path);
  if (format == "junit") return MakeJunitReporter(path);
  if (format == "tap") return MakeTapReporter(path);
  return Error(
      fmt::format("--report {}: unknown format '{}' (console, json, junit or tap)", spec, format));
}

void Reporters::OnStart(size_t runs) {
  for (auto& s : sinks_) s->OnStart(runs);
}
void Reporters::OnResult(const ScenarioResult& r) {
  for (auto& s : sinks_) s->OnResult(r);
}
void Reporters::OnEnd(const std::vector<ScenarioResult>& all, bool interrupted) {
  for (auto& s : sinks_) s->OnEnd(all, interrupted);
}

bool WriteReportFile(const std::string& path, const std::string& text) {
  if (path == "-") {
    fwrite(text.data(), 1, text.size(), stdout);
    fflush(stdout);
    return true;
  }
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) {
    fmt::print(stderr, "proclab: cannot write the report {}\n", path);
    return false;
  }
  return true;
}

}  // namespace proclab
