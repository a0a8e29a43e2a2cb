// Reporters are sinks of one result stream, one file per format:
// console (live, then failures explained), json, junit, tap.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/run/suite.h"

namespace proclab {

// "console", "json", "json:PATH", "junit:PATH", "tap", … PATH "-" is stdout.
Result<std::unique_ptr<ResultSink>> MakeReporter(const std::string& spec);

// Forwards to several reporters.
class Reporters : public ResultSink {
 public:
  void Add(std::unique_ptr<ResultSink> sink) { sinks_.push_back(std::move(sink)); }
  void OnStart(size_t runs) override;
  void OnResult(const ScenarioResult& r) override;
  void OnEnd(const std::vector<ScenarioResult>& all, bool interrupted) override;

 private:
  std::vector<std::unique_ptr<ResultSink>> sinks_;
};

// Formats known to MakeReporter, for messages.
std::vector<std::string> ReportFormats();

std::unique_ptr<ResultSink> MakeConsoleReporter(FILE* out, bool color);
std::unique_ptr<ResultSink> MakeJsonReporter(const std::string& path);
std::unique_ptr<ResultSink> MakeJunitReporter(const std::string& path);
std::unique_ptr<ResultSink> MakeTapReporter(const std::string& path);

// Writes `text` to `path` ("-": stdout); false with a message on stderr.
bool WriteReportFile(const std::string& path, const std::string& text);

}  // namespace proclab
