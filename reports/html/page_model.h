// What one page draws, as the JSON its script reads: the lanes, the marks on
// them, the transcript and, for a scenario run, the verdicts with the events
// each rests on. Built from a Timeline (live, or read back from saved JSON),
// so a page drawn now and one drawn later from the JSON are the same.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/expect/verdict.h"
#include "runner/timeline/timeline.h"

namespace proclab::html {

struct PageRun {
  std::string title;     // the scenario's name, or the traced command
  std::string subtitle;  // its file, attempt, submission
  // "pass", "fail" for a scenario run; "trace" for a bare trace.
  std::string status = "trace";
  std::string reason;  // why it failed, in one line
  double seconds = 0;
  const Timeline* timeline = nullptr;
  std::vector<Verdict> verdicts;
  // Names of processes by record id ("driver"), when the run knew them.
  std::map<int, std::string> names;
};

nlohmann::json PageModel(const PageRun& run);

}  // namespace proclab::html
