// `sections`: critical sections read from output, for programs in any
// language. An interval runs from a writer's enter line to its next leave
// line; no more than `max_inside` may overlap.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "runner/base/units.h"
#include "runner/expect/check_values.h"
#include "runner/expect/patterns.h"

namespace proclab::expect {
namespace {

constexpr size_t kShown = 5;

struct Interval {
  pid_t pid = 0;
  size_t enter = 0;         // event index of its enter line
  size_t leave = SIZE_MAX;  // of its leave line; SIZE_MAX: never left
  int64_t enter_us = 0, leave_us = 0;
};

// A wait, to the tenth of a millisecond under a second: a lock's handoff
// takes microseconds.
std::string Wait(int64_t us) {
  return us < 1'000'000 ? fmt::format("{:.1f}ms", us / 1e3) : FormatInstant(us);
}

}  // namespace

Verdict CheckSections(const Context& c, const Expectation& e) {
  const SectionsCheck& k = *e.sections;
  std::string missing;
  auto enter = ExpandPattern(k.enter, c.names, &missing);
  auto leave = enter ? ExpandPattern(k.leave, c.names, &missing) : std::nullopt;
  if (!enter || !leave) return Fail(e, missing);
  const auto& events = c.timeline.events();
  std::vector<Interval> all;
  std::map<pid_t, size_t> open;  // writer -> its interval inside
  size_t reentered = 0, lines = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (!WrittenBy(ev, i, k.by, std::nullopt, c.names)) continue;
    ++lines;
    auto it = open.find(ev.pid);
    if (it == open.end()) {
      if (enter->Search(ev.text)) {
        open[ev.pid] = all.size();
        all.push_back({ev.pid, i, SIZE_MAX, ev.t_us, 0});
      }
    } else if (leave->Search(ev.text)) {
      all[it->second].leave = i;
      all[it->second].leave_us = ev.t_us;
      open.erase(it);
    } else if (enter->Search(ev.text)) {
      ++reentered;  // an enter while inside: the interval goes on to its leave
    }
  }
  const std::string by = k.by.empty() ? "" : " by " + k.by;
  if (all.empty()) {
    std::string text = fmt::format("no line{} matched enter '{}' ({} line{} printed{})", by,
                                   k.enter, lines, lines == 1 ? " was" : "s were", by);
    if (!k.by.empty() && c.names.ResolveRecords(k.by).empty()) text += "; " + c.Missing(k.by);
    return Fail(e, text + OutputTail(c.names, events.size()));
  }
  // A section never left lasts until its writer exited (or the run ended).
  std::vector<std::string> never_left;
  for (auto& s : all) {
    if (s.leave != SIZE_MAX) continue;
    const ProcessRecord* rec = c.names.RecordAt(s.pid, s.enter);
    s.leave_us = rec && rec->end_us ? *rec->end_us : c.timeline.summary.end_us;
    never_left.push_back(
        fmt::format("{} (entered at {})", c.names.Label(s.pid), FormatInstant(s.enter_us)));
  }
  // Overlaps: at each enter, the sections others were inside.
  std::vector<std::string> overlaps;
  std::vector<size_t> evidence;
  size_t overlap_count = 0;
  int most = 1;
  for (size_t b = 0; b < all.size(); ++b) {
    std::vector<const Interval*> inside;
    for (size_t a = 0; a < all.size(); ++a)
      if (a != b && all[a].enter < all[b].enter && all[b].enter < all[a].leave)
        inside.push_back(&all[a]);
    most = std::max(most, static_cast<int>(inside.size()) + 1);
    if (static_cast<int>(inside.size()) + 1 <= k.max_inside) continue;
    ++overlap_count;
    evidence.push_back(all[b].enter);
    std::string who;
    for (const Interval* a : inside) {
      who += fmt::format(
          "{}{} (inside since {}{})", who.empty() ? "" : " and ", c.names.Label(a->pid),
          FormatInstant(a->enter_us),
          a->leave == SIZE_MAX ? ", never left" : ", left at " + FormatInstant(a->leave_us));
      evidence.push_back(a->enter);
      if (a->leave != SIZE_MAX) evidence.push_back(a->leave);
    }
    if (overlaps.size() < kShown)
      overlaps.push_back(fmt::format("{} entered at {} while {} {} inside",
                                     c.names.Label(all[b].pid), FormatInstant(all[b].enter_us), who,
                                     inside.size() == 1 ? "was" : "were"));
  }
  // Waiting: from the latest leave before a section's enter to that enter,
  // per writer of the section that entered.
  struct Waits {
    int sections = 0, waits = 0;
    int64_t inside_us = 0, total_us = 0, longest_us = 0;
  };
  std::map<pid_t, Waits> per;
  std::vector<pid_t> writers;
  for (const auto& s : all) {
    if (!per.count(s.pid)) writers.push_back(s.pid);
    Waits& w = per[s.pid];
    ++w.sections;
    w.inside_us += s.leave_us - s.enter_us;
    const Interval* prev = nullptr;
    for (const auto& a : all)
      if (&a != &s && a.leave != SIZE_MAX && a.leave < s.enter && (!prev || a.leave > prev->leave))
        prev = &a;
    if (!prev) continue;
    const int64_t gap = s.enter_us - prev->leave_us;
    ++w.waits;
    w.total_us += gap;
    w.longest_us = std::max(w.longest_us, gap);
  }
  std::string waiting;
  for (pid_t pid : writers) {
    const Waits& w = per[pid];
    waiting += fmt::format("{}{}: {} section{}, {} inside", waiting.empty() ? "" : "; ",
                           c.names.Label(pid), w.sections, w.sections == 1 ? "" : "s",
                           FormatInstant(w.inside_us));
    if (w.waits)
      waiting +=
          fmt::format(", entered {} time{} after another's leave, {} in all, longest {}", w.waits,
                      w.waits == 1 ? "" : "s", Wait(w.total_us), Wait(w.longest_us));
  }
  std::string notes;
  if (!never_left.empty())
    notes +=
        fmt::format(". Never left (counted to the writer's exit): {}",
                    never_left.size() <= kShown
                        ? fmt::format("{}", fmt::join(never_left, ", "))
                        : fmt::format("{} and {} more",
                                      fmt::join(never_left.begin(), never_left.begin() + 5, ", "),
                                      never_left.size() - kShown));
  if (reentered)
    notes += fmt::format(". {} enter line{} came while {} writer was already inside (ignored)",
                         reentered, reentered == 1 ? "" : "s", reentered == 1 ? "its" : "their");
  const std::string summary =
      fmt::format("{} section{} by {} writer{}{} (enter '{}', leave '{}'). Waiting: {}{}",
                  all.size(), all.size() == 1 ? "" : "s", writers.size(),
                  writers.size() == 1 ? "" : "s", by, k.enter, k.leave, waiting, notes);
  if (overlap_count == 0) {
    std::vector<size_t> marks;
    for (const auto& s : all) {
      marks.push_back(s.enter);
      if (s.leave != SIZE_MAX) marks.push_back(s.leave);
    }
    return Pass(e,
                fmt::format("never more than {} inside at once (at most {} allowed): {}", most,
                            k.max_inside, summary),
                marks);
  }
  std::string list;
  for (const auto& o : overlaps) list += (list.empty() ? "" : "; ") + o;
  if (overlap_count > overlaps.size())
    list += fmt::format("; and {} more", overlap_count - overlaps.size());
  return Fail(
      e,
      fmt::format("{} inside at once (at most {} allowed): {} overlap{}: {}. {}", most,
                  k.max_inside, overlap_count, overlap_count == 1 ? "" : "s", list, summary),
      evidence);
}

}  // namespace proclab::expect
