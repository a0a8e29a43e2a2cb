// --report html:DIR: DIR/index.html lists the runs (or, when grading, the
// submissions' runs) with their verdicts and links to one page per run,
// DIR/runs/NNNN-NAME.html, and then the statistics across repeats, each
// with its distribution. Pages are written as runs finish; the index last.
#pragma once

#include <memory>
#include <string>

#include "runner/base/error.h"
#include "runner/results/repeat_stats.h"
#include "runner/results/scenario_result.h"

namespace proclab::html {

// Creates DIR (and checks it can be written) at once: a report that cannot
// be written is refused before anything runs.
Result<std::unique_ptr<ResultSink>> MakeHtmlReporter(const std::string& dir);

// The same, fed from a saved report: `reason` per run as the report says it.
class HtmlReportWriter {
 public:
  virtual ~HtmlReportWriter() = default;
  virtual void Add(const ScenarioResult& r, const std::string& reason) = 0;
  // An expectation with statistics, judged across its scenario's runs.
  virtual void AddAcross(const AcrossRuns& a) = 0;
  virtual Status Finish(bool interrupted) = 0;
  // Where the page of `r` is (or will be) written, relative to DIR.
  virtual std::string PageFor(const ScenarioResult& r) = 0;
};
Result<std::unique_ptr<HtmlReportWriter>> MakeHtmlReportWriter(const std::string& dir);

}  // namespace proclab::html
