// order: each listed event happened, and in this order.
#include <fmt/format.h>

#include "runner/expect/context.h"
#include "runner/expect/event_match.h"

namespace proclab::expect {

Verdict CheckOrder(const Context& c, const Expectation& e) {
  std::vector<size_t> at;
  for (const auto& item : e.order) {
    std::string never;
    auto i = FindEvent(c, item, &never);
    if (!i) {
      // The entries that did happen, and what came nearest to this one.
      std::vector<size_t> evidence = at;
      AddEvidence(&evidence, NearestTo(c, item));
      return Fail(e, fmt::format("'{}' never happened: {}", item.text, never), evidence);
    }
    at.push_back(*i);
  }
  const auto& events = c.timeline.events();
  std::string story;
  for (size_t k = 0; k < at.size(); ++k)
    story +=
        fmt::format("{}'{}' {}", k ? ", " : "", e.order[k].text, Context::At(events[at[k]].t_us));
  for (size_t k = 1; k < at.size(); ++k) {
    if (at[k] > at[k - 1]) continue;
    return Fail(
        e,
        fmt::format("'{}' happened before '{}': {}", e.order[k].text, e.order[k - 1].text, story),
        at);
  }
  return Pass(e, story, at);
}

}  // namespace proclab::expect
