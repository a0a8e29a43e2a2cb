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

// A report that keeps each run in a file someone can open: JUnit's
// `[[ATTACHMENT|path]]` and TAP's `report:` point at it. The html report (a
// page per run) is meant to rank first; then perfetto (a picture), then json.
class RunArtifacts {
 public:
  virtual ~RunArtifacts() = default;
  // Where this report puts `r`, as the path was given; empty: nowhere (stdout).
  [[nodiscard]] virtual std::string ArtifactFor(const ScenarioResult& r) const = 0;
  // Lower wins.
  [[nodiscard]] virtual int ArtifactRank() const = 0;
  static constexpr int kHtmlRank = 0, kPerfettoRank = 1, kJsonRank = 2;
};

// The reports of one invocation that keep runs: a run's attachment is the
// best-ranked one's file for it.
class ArtifactLinks {
 public:
  void Add(const RunArtifacts* report) { reports_.push_back(report); }
  [[nodiscard]] std::string For(const ScenarioResult& r) const;

 private:
  std::vector<const RunArtifacts*> reports_;
};

// "console", "json", "json:PATH", "junit:PATH", "tap", … PATH "-" is stdout.
// `links`: the other reports of the invocation, for attachments (may be null).
Result<std::unique_ptr<ResultSink>> MakeReporter(const std::string& spec,
                                                 const ArtifactLinks* links = nullptr);

// Forwards to several reporters.
class Reporters : public ResultSink {
 public:
  void Add(std::unique_ptr<ResultSink> sink) { sinks_.push_back(std::move(sink)); }
  // Every --report of an invocation, each knowing where the others keep a
  // run (ArtifactLinks). The error names the bad spec.
  Status AddAll(const std::vector<std::string>& specs);
  void OnPlan(const SuitePlan& plan) override;
  void OnStart(size_t runs) override;
  void OnResult(const ScenarioResult& r) override;
  void OnAcrossRuns(const AcrossRuns& a) override;
  void OnEnd(const SuiteSummary& summary) override;

 private:
  std::vector<std::unique_ptr<ResultSink>> sinks_;
  std::unique_ptr<ArtifactLinks> links_ = std::make_unique<ArtifactLinks>();
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
  // As given; "-" for stdout.
  [[nodiscard]] const std::string& path() const { return path_; }

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
std::unique_ptr<ResultSink> MakeJunitReporter(std::unique_ptr<ReportFile> file,
                                              const ArtifactLinks* links = nullptr);
std::unique_ptr<ResultSink> MakeTapReporter(std::unique_ptr<ReportFile> file,
                                            const ArtifactLinks* links = nullptr);
std::unique_ptr<ResultSink> MakePerfettoReporter(std::unique_ptr<ReportFile> file);

}  // namespace proclab
