#include "runner/expect/judge.h"

#include <fmt/format.h>

#include "runner/base/units.h"

#include "runner/expect/check_resources.h"
#include "runner/expect/check_values.h"
#include "runner/expect/context.h"
#include "runner/expect/hang.h"
#include "runner/expect/stat_bounds.h"
#include "runner/scenario/names.h"

namespace proclab {
namespace {

// A run whose timeline reached its event cap fails, as a timed-out one does:
// from the cap on only life-cycle events are kept, so the expectations would
// judge part of the run. The lab ends the run at the cap unless it was
// ending (or had ended) already; the explanation says which.
Verdict EventCapVerdict(const Scenario& s, const Timeline& t, size_t cap_at) {
  const Event& cap = t.events()[cap_at];
  bool killed = false;
  Verdict v;
  v.evidence.push_back(cap_at);
  for (size_t i = 0; i < t.events().size(); ++i) {
    const Event& e = t.events()[i];
    if (e.type == EventType::kKilledByLab && e.detail.starts_with("the timeline reached its cap")) {
      killed = true;
      expect::AddEvidence(&v.evidence, {i});
    }
  }
  v.expectation = "limits.events";
  v.explanation = fmt::format(
      "{}; {} (raise limits.events or limits.event_memory if the program is meant to do this "
      "much)",
      cap.detail,
      killed ? "the lab killed what was left" : "events past the cap were counted, not kept");
  v.loc = s.loc;
  v.origin = Verdict::Origin::kTimeout;
  return v;
}

}  // namespace

std::vector<Verdict> Judge(const Scenario& s, const Timeline& t, const ScriptJudge* scripts) {
  using K = Expectation::Kind;
  Names names(s, t);
  expect::Context c{s, t, names};
  std::vector<Verdict> out;
  bool leaks_said = false, zombies_said = false;
  auto one = [&](const Expectation& e) -> Verdict {
    if (e.after) return expect::CheckAfter(c, e);
    switch (e.kind) {
      case K::kExit: return expect::CheckExit(c, e);
      case K::kKilled: return expect::CheckKilled(c, e);
      case K::kState: return expect::CheckState(c, e);
      case K::kParent: return expect::CheckParent(c, e);
      case K::kReaped: return expect::CheckReaped(c, e);
      case K::kSignal: return expect::CheckSignal(c, e);
      case K::kNoSignal: return expect::CheckNoSignal(c, e);
      case K::kOrder: return expect::CheckOrder(c, e);
      case K::kOutput: return expect::CheckOutput(c, e);
      case K::kNoOutput: return expect::CheckNoOutput(c, e);
      case K::kPid: return expect::CheckPid(c, e);
      case K::kProcesses: return expect::CheckProcesses(c, e);
      case K::kDuration: return expect::CheckDuration(c, e);
      case K::kNoLeaks: return expect::CheckNoLeaks(c, e);
      case K::kNoZombies: return expect::CheckNoZombies(c, e);
      case K::kFiles: return expect::CheckFiles(c, e);
      case K::kCpu: return expect::CheckCpu(c, e);
      case K::kParallelism: return expect::CheckParallelism(c, e);
      case K::kRss: return expect::CheckRss(c, e);
      case K::kValue: return expect::CheckValue(c, e);
      case K::kCompare: return expect::CheckCompare(c, e);
      case K::kSections: return expect::CheckSections(c, e);
      case K::kLua:
        if (scripts) return scripts->Judge(s, e, t);
        return expect::Fail(e, "this scenario has no Lua state to evaluate it in");
    }
    return expect::Fail(e, "unknown expectation");
  };
  // A run cut short by its timeout, or whose timeline reached its event cap,
  // failed, whatever else held: what the expectations saw is not the whole run.
  bool timed_out = false, capped = false;
  for (size_t i = 0; i < t.events().size(); ++i) {
    const Event& ev = t.events()[i];
    if (ev.type != EventType::kLimit) continue;
    if (ev.kind == "timeout" && !timed_out) {
      timed_out = true;
      Verdict v;
      v.expectation = fmt::format("timeout: {}", FormatDuration(s.timeout_us));
      v.explanation = fmt::format("the run did not finish within {}; the lab killed what was left",
                                  FormatDuration(s.timeout_us));
      if (std::string hang = expect::DescribeHang(names, ev); !hang.empty())
        v.explanation += fmt::format(". At {}s, {}", FormatSeconds(ev.t_us), hang);
      v.loc = s.loc;
      v.origin = Verdict::Origin::kTimeout;
      // The timeout, and the lab's kills that followed it.
      v.evidence.push_back(i);
      for (size_t k = i + 1; k < t.events().size(); ++k)
        if (t.events()[k].type == EventType::kKilledByLab) expect::AddEvidence(&v.evidence, {k});
      out.push_back(std::move(v));
    } else if (ev.kind == "events" && !capped) {
      capped = true;
      out.push_back(EventCapVerdict(s, t, i));
    }
  }
  for (const auto& e : s.expectations) {
    if (e.kind == K::kNoLeaks) leaks_said = true;
    if (e.kind == K::kNoZombies) zombies_said = true;
    if ((e.kind == K::kNoLeaks || e.kind == K::kNoZombies) && !e.enabled) continue;
    out.push_back(one(e));
    out.back().points = e.points;
    expect::AttachStatBounds(c, e, &out.back());
  }
  // Checked at the end of every run unless the scenario says otherwise.
  for (auto [said, kind] :
       {std::pair{leaks_said, K::kNoLeaks}, std::pair{zombies_said, K::kNoZombies}}) {
    if (said) continue;
    Expectation e;
    e.kind = kind;
    e.loc = s.loc;
    out.push_back(one(e));
    out.back().origin = Verdict::Origin::kAutomatic;
  }
  return out;
}

}  // namespace proclab
