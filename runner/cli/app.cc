#include "runner/cli/app.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "runner/cli/grade_command.h"
#include "runner/cli/merge_command.h"
#include "runner/cli/report_command.h"
#include "runner/cli/run_command.h"
#include "runner/cli/trace_command.h"

namespace proclab::cli {

int Main(int argc, char** argv) {
  CLI::App app{"proclab — a test lab for Unix process behaviour", "proclab"};
  app.set_version_flag("--version", PROCLAB_VERSION);
  app.require_subcommand(1);
  RunCommand run(app);
  CheckCommand check(app);
  ListCommand list(app);
  TraceCommand trace(app);
  GradeCommand grade(app);
  MergeCommand merge(app);
  ReportCommand report(app);
  // CLI11 2.1 hands arguments after "--" to the top-level app; the command a
  // lab should run is everything after the first "--", untouched.
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> tail;
  if (auto dash = std::find(args.begin(), args.end(), "--"); dash != args.end()) {
    tail.assign(dash + 1, args.end());
    args.erase(dash, args.end());
  }
  // For trace it is the command; for the others, paths that may look like
  // options.
  trace.SetCommandTail(tail);
  run.AddPaths(tail);
  check.AddPaths(tail);
  list.AddPaths(tail);
  grade.AddPaths(tail);
  merge.AddPaths(tail);
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    if (code == 0) return 0;
    // trace's own failures must not look like a program's exit 2.
    return trace.chosen() ? kTraceFailed : kExitUsage;
  }
  if (run.chosen()) return run.Run();
  if (check.chosen()) return check.Run();
  if (list.chosen()) return list.Run();
  if (trace.chosen()) return trace.Run();
  if (grade.chosen()) return grade.Run();
  if (merge.chosen()) return merge.Run();
  if (report.chosen()) return report.Run();
  return kExitUsage;
}

}  // namespace proclab::cli
