// Reporters are sinks of one result stream, one file per format: console
// (live, then failures explained), json, junit, tap. Each writes as results
// arrive and keeps only what its format's ending needs (counts, and for the
// console the failures' explanations), never the runs themselves.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runner/base/error.h"
#include "runner/results/scenario_result.h"

namespace proclab {

// "console", "json", "json:PATH", "junit:PATH", "tap", … PATH "-" is stdout.
Result<std::unique_ptr<ResultSink>> MakeReporter(const std::string& spec);

// Forwards to several reporters.
class Reporters : public ResultSink {
 public:
  void Add(std::unique_ptr<ResultSink> sink) { sinks_.push_back(std::move(sink)); }
  void OnStart(size_t runs) override;
  void OnResult(const ScenarioResult& r) override;
  void OnEnd(const SuiteSummary& summary) override;

 private:
  std::vector<std::unique_ptr<ResultSink>> sinks_;
};

// Formats known to MakeReporter, for messages.
std::vector<std::string> ReportFormats();

// A report written as it goes: `path` ("-": stdout) is opened at once, so a
// report that cannot be written is known before anything runs. Write
// failures are reported on stderr once.
class ReportFile {
 public:
  static Result<std::unique_ptr<ReportFile>> Open(const std::string& path);
  ~ReportFile();
  ReportFile(const ReportFile&) = delete;
  ReportFile& operator=(const ReportFile&) = delete;
  void Write(std::string_view text);
  void Flush();

 private:
  ReportFile(std::string path, FILE* f, bool owned)
      : path_(std::move(path)), f_(f), owned_(owned) {}
  std::string path_;
  FILE* f_;
  bool owned_;
  bool failed_ = false;
};

std::unique_ptr<ResultSink> MakeConsoleReporter(FILE* out, bool color);
std::unique_ptr<ResultSink> MakeJsonReporter(std::unique_ptr<ReportFile> file);
std::unique_ptr<ResultSink> MakeJunitReporter(std::unique_ptr<ReportFile> file);
std::unique_ptr<ResultSink> MakeTapReporter(std::unique_ptr<ReportFile> file);

}  // namespace proclab
