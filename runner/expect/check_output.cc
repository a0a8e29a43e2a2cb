// output and no_output: lines matched per writer and stream.
#include <fmt/format.h>

#include <set>

#include "runner/expect/context.h"
#include "runner/expect/patterns.h"
#include "runner/timeline/describe.h"

namespace proclab::expect {
namespace {

std::string Quote(const Event& e, const Context& c) {
  return fmt::format("{} printed \"{}\" {}", c.names.Label(e.pid), QuoteOutput(e.text, 100),
                     Context::At(e.t_us));
}

// What was printed instead of a line that never came: the last lines the
// writer asked about (anyone's, without `by`) printed.
std::vector<size_t> LastLines(const Context& c, const Expectation& e, size_t n = 5) {
  std::vector<size_t> out;
  const auto& events = c.timeline.events();
  for (size_t i = events.size(); i-- > 0 && out.size() < n;)
    if (events[i].type == EventType::kOutput && WrittenBy(events[i], i, e.by, e.stream, c.names))
      out.push_back(i);
  return out;
}

}  // namespace

Verdict CheckOutput(const Context& c, const Expectation& e) {
  std::string missing, bindings;
  auto re = ExpandPattern(e.pattern, c.names, &missing, &bindings);
  if (!re) return Fail(e, c.Missing(missing));
  if (!e.by.empty() && c.names.Resolve(e.by).empty()) return Fail(e, c.Missing(e.by));
  int matched = 0;
  std::set<int> writers;  // process ids: a reused pid is another writer
  const Event* first = nullptr;
  std::vector<size_t> at;
  const auto& events = c.timeline.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (!WrittenBy(ev, i, e.by, e.stream, c.names) || !re->Search(ev.text)) continue;
    ++matched;
    if (at.size() < kMaxEvidence) at.push_back(i);
    const ProcessRecord* writer = c.names.RecordAt(ev.pid, i);
    writers.insert(writer ? writer->id : -ev.pid);
    if (!first) first = &ev;
  }
  const IntRange want = e.count.empty() ? IntRange{1, std::nullopt} : e.count;
  std::string expanded = bindings.empty() ? "" : fmt::format(" (where {})", bindings);
  if (!want.Contains(matched)) {
    std::string why = fmt::format("{} line{} matched{}, expected {}", matched,
                                  matched == 1 ? "" : "s", expanded, want.Describe());
    if (first) why += "; the first: " + Quote(*first, c);
    if (matched == 0) {
      if (!e.by.empty())
        for (pid_t pid : c.names.Resolve(e.by)) {
          why += fmt::format("; {} {}", c.names.Label(pid), c.Fate(pid));
          AddEvidence(&at, c.EndOf(pid));
        }
      why += '\n';
      why += OutputTail(c.names, c.timeline.events().size());
      AddEvidence(&at, LastLines(c, e));
    }
    return Fail(e, why, at);
  }
  if (!e.writers.empty() && !e.writers.Contains(static_cast<int64_t>(writers.size())))
    return Fail(
        e,
        fmt::format("{} different process{} wrote the {} matching lines, expected {}",
                    writers.size(), writers.size() == 1 ? "" : "es", matched, e.writers.Describe()),
        at);
  return Pass(e,
              first ? fmt::format("{} matching line{}; the first: {}", matched,
                                  matched == 1 ? "" : "s", Quote(*first, c))
                    : "no line matched, as allowed",
              at);
}

Verdict CheckNoOutput(const Context& c, const Expectation& e) {
  std::optional<Regex> re;
  if (!e.pattern.empty()) {
    std::string missing;
    re = ExpandPattern(e.pattern, c.names, &missing);
    if (!re) return Pass(e, c.Missing(missing) + ", so nothing could match");
  }
  const auto& events = c.timeline.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (!WrittenBy(ev, i, e.by, e.stream, c.names)) continue;
    if (re && !re->Search(ev.text)) continue;
    return Fail(e, Quote(ev, c), {i});
  }
  return Pass(e, "no such line was printed");
}

}  // namespace proclab::expect
