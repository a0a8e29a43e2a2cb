#include "runner/expect/patterns.h"

#include <fmt/format.h>

#include <algorithm>

#include "runner/timeline/describe.h"

namespace proclab {

std::optional<Regex> ExpandPattern(const std::string& pattern, const Names& names,
                                   std::string* missing, std::string* bindings) {
  std::string out;
  size_t at = 0;
  while (at < pattern.size()) {
    const bool ppid = pattern.compare(at, 6, "{ppid:") == 0;
    const bool pid = !ppid && pattern.compare(at, 5, "{pid:") == 0;
    if (!pid && !ppid) {
      out += pattern[at++];
      continue;
    }
    size_t start = at + (ppid ? 6 : 5);
    size_t end = pattern.find('}', start);
    if (end == std::string::npos) return std::nullopt;  // refused at load time
    const std::string name = pattern.substr(start, end - start);
    std::vector<std::string> numbers;
    for (pid_t p : names.Resolve(name)) {
      if (!ppid) {
        numbers.push_back(std::to_string(p));
      } else if (const ProcessRecord* rec = names.Record(p)) {
        numbers.push_back(std::to_string(rec->ppid));
      }
    }
    if (numbers.empty()) {
      if (missing) *missing = name;
      return std::nullopt;
    }
    // A pid is a whole number: "12" must not match inside "123".
    std::string alternatives;
    for (const auto& n : numbers) alternatives += (alternatives.empty() ? "" : "|") + n;
    if (bindings)
      *bindings += fmt::format("{}{{{}:{}}} = {}", bindings->empty() ? "" : ", ",
                               ppid ? "ppid" : "pid", name, alternatives);
    out += fmt::format("(?<![0-9])(?:{})(?![0-9])", alternatives);
    at = end + 1;
  }
  auto re = Regex::Compile(out);
  if (!re) return std::nullopt;
  return *re;
}

bool WrittenBy(const Event& e, size_t index, const std::string& by,
               const std::optional<Stream>& stream, const Names& names) {
  if (e.type != EventType::kOutput) return false;
  if (stream && e.stream != *stream) return false;
  return by.empty() || names.Means(by, e.pid, index);
}

std::string OutputTail(const Names& names, size_t end, int n) {
  const auto& events = names.timeline().events();
  std::vector<std::string> lines;
  for (size_t i = std::min(end, events.size()); i-- > 0 && static_cast<int>(lines.size()) < n;) {
    const Event& e = events[i];
    if (e.type != EventType::kOutput) continue;
    lines.push_back(fmt::format("    {:>7}s {} {}: {}", fmt::format("{:.3f}", e.t_us / 1e6),
                                names.Label(e.pid), StreamName(e.stream),
                                QuoteOutput(e.text, 100)));
  }
  if (lines.empty()) return "  nothing was printed";
  std::reverse(lines.begin(), lines.end());
  std::string out = "  the last output was:";
  for (const auto& l : lines) out += "\n" + l;
  return out;
}

}  // namespace proclab
