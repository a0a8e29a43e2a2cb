#include "reports/html/run_page.h"

#include <fmt/format.h>

namespace proclab::html {

PageRun RunPage(const ScenarioResult& r, const std::string& reason) {
  PageRun p;
  p.title = r.DisplayName();
  std::string sub = r.file;
  if (!r.subject.empty()) sub = fmt::format("submission {} · {}", r.subject, sub);
  if (!r.roles_note.empty()) sub += " · " + r.roles_note;
  if (r.cancelled) sub += " · cancelled";
  p.subtitle = sub;
  p.status = r.passed ? "pass" : "fail";
  p.reason = r.passed ? "" : reason;
  p.seconds = static_cast<double>(r.wall_us) / 1e6;
  p.timeline = &r.timeline;
  p.verdicts = r.verdicts;
  p.names = r.process_names;
  return p;
}

PageRun TracePage(const Timeline& t) {
  PageRun p;
  std::string cmd;
  for (const auto& a : t.command) cmd += (cmd.empty() ? "" : " ") + a;
  p.title = cmd.empty() ? "trace" : cmd;
  p.status = "trace";
  p.timeline = &t;
  return p;
}

}  // namespace proclab::html
