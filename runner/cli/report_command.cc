#include "runner/cli/report_command.h"

#include <fmt/format.h>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "reports/html/html_page.h"
#include "reports/html/html_report.h"
#include "reports/html/run_page.h"
#include "reports/html/saved_report.h"
#include "runner/cli/app.h"
#include "runner/results/repeat_stats.h"

namespace proclab::cli {

ReportCommand::ReportCommand(CLI::App& app) {
  cmd_ = app.add_subcommand(
      "report",
      "draw a saved run again: proclab report html FILE.json -o OUT (a page or a folder)");
  cmd_->add_option("format", format_, "html")->required()->check(CLI::IsMember({"html"}));
  cmd_->add_option("file", input_, "a trace JSON (trace --json) or results JSON (--report json)")
      ->required();
  cmd_->add_option("-o,--out", out_,
                   "OUT.html: one page (a trace, or results of one run); else a folder with "
                   "index.html and one page per run")
      ->required();
  cmd_->footer(
      "Exit status: 0 written, 2 bad usage or a file that is not proclab's JSON, 3 the "
      "output could not be written.");
}

int ReportCommand::Run() {
  std::ifstream in(input_, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "proclab report: cannot read {}\n", input_);
    return kExitUsage;
  }
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) {
    fmt::print(stderr, "proclab report: {} is not JSON\n", input_);
    return kExitUsage;
  }
  auto saved = html::ReadSavedReport(j);
  if (!saved) {
    fmt::print(stderr, "proclab report: {}: {}\n", input_, saved.error().message);
    return kExitUsage;
  }
  if (out_.ends_with(".html") || out_.ends_with(".htm")) {
    if (saved->runs.size() != 1) {
      fmt::print(stderr,
                 "proclab report: {} holds {} runs: give a folder for -o (index.html and one "
                 "page per run), not {}\n",
                 input_, saved->runs.size(), out_);
      return kExitUsage;
    }
    const html::SavedRun& run = saved->runs.front();
    const std::string page = html::RenderPage(saved->trace ? html::TracePage(run.result.timeline)
                                                           : html::RunPage(run.result, run.reason));
    std::ofstream f(out_, std::ios::trunc | std::ios::binary);
    f << page;
    f.flush();
    if (!f) {
      fmt::print(stderr, "proclab report: cannot write {}\n", out_);
      return kExitInternal;
    }
    return kExitPassed;
  }
  if (saved->trace) {
    fmt::print(stderr, "proclab report: {} is one trace: give -o PAGE.html\n", input_);
    return kExitUsage;
  }
  auto writer = html::MakeHtmlReportWriter(out_);
  if (!writer) {
    fmt::print(stderr, "proclab report: {}\n", writer.error().message);
    return kExitInternal;
  }
  // The statistics across repeats, judged again from each run's figures, by
  // the one model of repeats (design.md §3.10.4), per submission and scenario.
  std::map<std::pair<std::string, std::string>, RepeatStats> repeats;
  for (const html::SavedRun& run : saved->runs) {
    (*writer)->Add(run.result, run.reason);
    repeats[{run.result.subject, run.result.scenario}].Add(run.result);
  }
  for (const auto& [key, stats] : repeats)
    for (const AcrossRuns& a : stats.Judge()) (*writer)->AddAcross(a);
  if (Status st = (*writer)->Finish(saved->interrupted); !st) {
    fmt::print(stderr, "proclab report: {}\n", st.error().message);
    return kExitInternal;
  }
  return kExitPassed;
}

}  // namespace proclab::cli
