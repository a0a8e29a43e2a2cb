// The readable form of a trace: the process tree, then the timeline, one line
// per event, each naming its process; then what was left over.
#pragma once

#include <string>
#include <vector>

#include "runner/timeline/timeline.h"

namespace proclab {

struct TraceTextOptions {
  bool color = false;
  size_t max_text = 160;  // output lines longer than this are shortened
  // What each step of the run was ("key ctrl-c"), by index: a step with a
  // text is a line of the timeline when it finished (a failed one says why).
  std::vector<std::string> steps;
};

std::string RenderTraceText(const Timeline& t, const TraceTextOptions& opt = {});

}  // namespace proclab
