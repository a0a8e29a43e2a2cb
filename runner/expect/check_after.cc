// Replies: `output` and `signal` with `after: EVENT` (and `within: D`). Each
// occurrence of EVENT (only the first with `first: true`) must be followed
// by a matching line or delivery, within D when given. Each occurrence looks
// for the first reply after itself, so one line may follow two events that
// came close together; `within` bounds each wait.
#include <fmt/format.h>

#include "runner/base/signal_names.h"
#include "runner/base/units.h"
#include "runner/expect/context.h"
#include "runner/expect/event_match.h"
#include "runner/expect/patterns.h"

namespace proclab::expect {
namespace {

struct Moment {
  int64_t t_us = 0;
  size_t index = 0;             // the first event that may answer it
  std::optional<size_t> event;  // the event itself (a key press is a step, not an event)
};

// When the event named by `after` happened, in order. Keys are steps: the
// moments the lab pressed them.
std::vector<Moment> Moments(const Context& c, const EventName& after, std::string* why) {
  std::vector<Moment> out;
  const auto& events = c.timeline.events();
  if (after.kind == EventName::Kind::kKey) {
    for (const auto& st : c.timeline.steps) {
      if (!st.ok || st.index < 0 || static_cast<size_t>(st.index) >= c.scenario.steps.size())
        continue;
      const Step& step = c.scenario.steps[static_cast<size_t>(st.index)];
      if (step.kind != Step::Kind::kKey || step.key != after.name) continue;
      size_t i = 0;  // events at the press or later may answer it
      while (i < events.size() && events[i].t_us < st.t_us) ++i;
      out.push_back({st.t_us, i, std::nullopt});
    }
    if (out.empty()) *why = fmt::format("{} was never pressed", after.name);
    return out;
  }
  for (size_t i : Occurrences(c, after, why)) out.push_back({events[i].t_us, i + 1, i});
  if (out.empty() && why->empty()) {
    std::string never;
    FindEvent(c, after, &never);
    *why = never.empty() ? "it never happened" : never;
  }
  if (after.nth > 0) {
    if (static_cast<size_t>(after.nth) > out.size()) {
      *why = fmt::format("it happened {} time{}", out.size(), out.size() == 1 ? "" : "s");
      return {};
    }
    out = {out[static_cast<size_t>(after.nth) - 1]};
  }
  return out;
}

}  // namespace

Verdict CheckAfter(const Context& c, const Expectation& e) {
  const EventName& after = *e.after;
  std::string why;
  std::vector<Moment> moments = Moments(c, after, &why);
  if (moments.empty())
    return Fail(e,
                fmt::format("'{}' never happened, so nothing could answer it: {}", after.text, why),
                NearestTo(c, after));
  if (e.first) moments.resize(1);
  const auto& events = c.timeline.events();
  std::optional<Regex> re;
  if (e.kind == Expectation::Kind::kOutput) {
    std::string missing;
    re = ExpandPattern(e.pattern, c.names, &missing);
    if (!re) return Fail(e, c.Missing(missing));
  } else if (c.names.Resolve(e.to).empty()) {
    return Fail(e, c.Missing(e.to));
  }
  auto answers = [&](size_t i) {
    const Event& ev = events[i];
    if (e.kind == Expectation::Kind::kOutput)
      return ev.type == EventType::kOutput && WrittenBy(ev, i, e.by, e.stream, c.names) &&
             re->Search(ev.text);
    return ev.type == EventType::kSignalDelivered && ev.sig == e.sig &&
           c.names.Means(e.to, ev.pid, i) && c.PartyIs(ev.from, e.from, i) &&
           (!e.outcome || ev.outcome == *e.outcome);
  };
  const std::string reply =
      e.kind == Expectation::Kind::kOutput
          ? fmt::format("a line{} matching '{}'", e.by.empty() ? "" : " by " + e.by, e.pattern)
          : fmt::format("{} to {}{}", SignalName(e.sig), e.to,
                        e.from.empty() ? "" : " from " + e.from);
  const std::string window = e.within_us ? " within " + FormatDuration(*e.within_us) : "";
  // What came in the reply's place: events of its kind after the moment.
  auto instead = [&](const Moment& at) {
    std::vector<size_t> out;
    const EventType kind =
        e.kind == Expectation::Kind::kOutput ? EventType::kOutput : EventType::kSignalDelivered;
    for (size_t i = at.index; i < events.size() && out.size() < 5; ++i)
      if (events[i].type == kind) out.push_back(i);
    return out;
  };
  std::string delays;
  std::vector<size_t> evidence;
  for (size_t m = 0; m < moments.size(); ++m) {
    const Moment& at = moments[m];
    std::vector<size_t> here;
    if (at.event) here.push_back(*at.event);
    std::optional<size_t> found;
    for (size_t i = at.index; i < events.size() && !found; ++i)
      if (answers(i)) found = i;
    const std::string which =
        moments.size() == 1 ? "" : fmt::format(" (occurrence {} of {})", m + 1, moments.size());
    if (!found) {
      AddEvidence(&here, instead(at));
      return Fail(e,
                  fmt::format("after '{}' at {}{}, no {} came at all", after.text,
                              FormatInstant(at.t_us), which, reply),
                  here);
    }
    here.push_back(*found);
    const int64_t delay = events[*found].t_us - at.t_us;
    if (e.within_us && delay > *e.within_us)
      return Fail(e,
                  fmt::format("after '{}' at {}{}, {} came only {} later, at {} (not{})",
                              after.text, FormatInstant(at.t_us), which, reply,
                              FormatDuration(delay), FormatInstant(events[*found].t_us), window),
                  here);
    AddEvidence(&evidence, here);
    delays += (delays.empty() ? "" : ", ") + FormatDuration(delay);
  }
  return Pass(e,
              moments.size() == 1
                  ? fmt::format("'{}' at {} was answered by {} {} later", after.text,
                                FormatInstant(moments[0].t_us), reply, delays)
                  : fmt::format("each of the {} times '{}' happened was answered by {}{} "
                                "(after {})",
                                moments.size(), after.text, reply, window, delays),
              evidence);
}

}  // namespace proclab::expect
