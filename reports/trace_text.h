// The readable form of a trace: the process tree, then the timeline, one line
// per event, each naming its process; then what was left over.
#pragma once

#include <string>

#include "runner/timeline/timeline.h"

namespace proclab {

struct TraceTextOptions {
  bool color = false;
  size_t max_text = 160;  // output lines longer than this are shortened
};

std::string RenderTraceText(const Timeline& t, const TraceTextOptions& opt = {});

// One event as a phrase, e.g. "SIGUSR1 3 → 2 handled" — shared with the
// explanations that expectations give.
std::string DescribeEvent(const Event& e, pid_t lab_pid);

// Printable, single-line form of program output: control characters escaped.
std::string QuoteOutput(const std::string& text, size_t max_len);

}  // namespace proclab
