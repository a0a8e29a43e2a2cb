// signal and no_signal. A failure says what did happen instead: the signal
// was never sent, went elsewhere, failed, came from someone else, had another
// outcome — or the receiver was already dead.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <utility>

#include "runner/base/signal_names.h"
#include "runner/expect/context.h"

namespace proclab::expect {
namespace {

bool Contains(const std::vector<pid_t>& v, pid_t p) {
  return std::find(v.begin(), v.end(), p) != v.end();
}

std::string Why(Outcome o, int sig) {
  switch (o) {
    case Outcome::kHandled: return "handled it";
    case Outcome::kIgnored:
      return fmt::format("ignored it ({} was set to SIG_IGN, or its default is to do nothing)",
                         SignalName(sig));
    case Outcome::kKilled: return "was killed by it (no handler was installed)";
    case Outcome::kStopped: return "was stopped by it";
    case Outcome::kContinued: return "was continued by it";
    default: return "?";
  }
}

std::string Sender(const std::string& from) {
  if (from == "tty") return "the terminal";
  if (from == "kernel") return "the kernel";
  if (from == "lab") return "the lab";
  return from;
}

// Did `send` aim at one of `pids`? A group or kill(-1) may have: only
// deliveries tell, so those count as aimed.
bool Targets(const Event& send, const std::vector<pid_t>& pids) {
  if (send.to_all || send.to_group) return true;
  return Contains(pids, send.to);
}

std::string Verb(const std::optional<Outcome>& o) {
  if (!o) return "get";
  switch (*o) {
    case Outcome::kHandled: return "handle";
    case Outcome::kIgnored: return "ignore";
    case Outcome::kKilled: return "be killed by";
    case Outcome::kStopped: return "be stopped by";
    case Outcome::kContinued: return "be continued by";
    default: return "get";
  }
}

// A handler ran where SIG_IGN was wanted. Python's default SIGINT
// disposition is a handler (it raises KeyboardInterrupt), which surprises
// students who never installed one.
std::string IgnoreHint(const Context& c, pid_t pid, int sig) {
  std::string hint = " — a handler was installed for it, not SIG_IGN";
  if (sig == SIGINT && c.RunsPython(pid))
    hint +=
        " (Python installs one for SIGINT that raises KeyboardInterrupt; "
        "signal.signal(signal.SIGINT, "
        "signal.SIG_IGN) ignores it)";
  return hint;
}

// The send that caused the delivery at `i`: the latest earlier send of its
// signal by its sender that could have reached it.
std::optional<size_t> SendOf(const Context& c, size_t i) {
  const auto& events = c.timeline.events();
  const Event& d = events[i];
  // The kernel and the terminal send without a syscall: no send event.
  if (d.from.kind != Party::kProcess && d.from.kind != Party::kLab) return std::nullopt;
  // A send comes shortly before its delivery: looking further back than
  // this in a flood would cost a scan of the whole run per delivery.
  constexpr size_t kLookBack = 4096;
  for (size_t k = i; k-- > 0 && i - k <= kLookBack;) {
    const Event& s = events[k];
    if (s.type == EventType::kSignalSent && s.sig == d.sig && s.from == d.from && s.error.empty() &&
        (s.to == d.pid || s.to_group || s.to_all))
      return k;
  }
  return std::nullopt;
}

// The story of what happened to `sig` around `to`, for a failed expectation,
// and the events it tells of (`evidence`).
std::string Diagnose(const Context& c, const Expectation& e, const std::vector<pid_t>& to,
                     std::vector<size_t>* evidence) {
  const auto& events = c.timeline.events();
  const std::string sig = SignalName(e.sig);
  const std::string who_to = c.names.Label(to.front());
  // Deliveries of this signal to the receiver, from anyone.
  std::vector<const Event*> got;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.type == EventType::kSignalDelivered && ev.sig == e.sig && Contains(to, ev.pid)) {
      got.push_back(&ev);
      evidence->push_back(i);
      if (auto send = SendOf(c, i)) evidence->push_back(*send);
    }
  }
  AddEvidence(evidence, c.EndOf(to.front()));
  const std::vector<pid_t> from =
      e.from.empty() || e.from == "tty" || e.from == "kernel" || e.from == "lab"
          ? std::vector<pid_t>{}
          : c.names.Resolve(e.from);
  if (!e.from.empty() && from.empty() && e.from != "tty" && e.from != "kernel" && e.from != "lab")
    return c.Missing(e.from);

  if (!got.empty()) {
    // It arrived — from someone else, or with another outcome.
    std::string out;
    bool hinted = false;
    for (const Event* d : got) {
      if (!out.empty()) out += "; ";
      out += fmt::format("{} got {} from {} {} and {}", c.names.Label(d->pid), sig,
                         c.names.Label(d->from), Context::At(d->t_us), Why(d->outcome, d->sig));
      if (e.outcome == Outcome::kIgnored && d->outcome == Outcome::kHandled &&
          !std::exchange(hinted, true))
        out += IgnoreHint(c, d->pid, e.sig);
    }
    if (!e.from.empty() && std::none_of(got.begin(), got.end(),
                                        [&](const Event* d) { return c.PartyIs(d->from, e.from); }))
      out += fmt::format(" — never from {}", Sender(e.from));
    // How it ended, unless the last delivery above already said so.
    if (const ProcessRecord* rec = c.names.Record(to.front());
        rec && rec->exit && got.back()->outcome != Outcome::kKilled)
      out += fmt::format("; then {} {}", who_to, c.Fate(to.front()));
    return out;
  }

  // It never arrived. Was it sent?
  std::vector<const Event*> sends;
  std::vector<size_t> send_at;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.type == EventType::kSignalSent && ev.sig == e.sig &&
        (e.from.empty() || c.PartyIs(ev.from, e.from))) {
      sends.push_back(&ev);
      send_at.push_back(i);
    }
  }
  std::string story;
  for (size_t k = 0; k < sends.size(); ++k) {
    const Event* s = sends[k];
    evidence->push_back(send_at[k]);
    if (!s->error.empty()) {
      story =
          fmt::format("{} sent {} to {} {} but kill() failed with {}", c.names.Label(s->from), sig,
                      s->to ? c.names.Label(s->to) : "a group", Context::At(s->t_us), s->error);
      if (s->error == "ESRCH") story += " (no such process: had it exited already?)";
      break;
    }
    if (!Targets(*s, to)) {
      story = fmt::format("{} sent {} to {} {}, not to {}", c.names.Label(s->from), sig,
                          c.names.Label(s->to), Context::At(s->t_us), who_to);
    } else {
      // Sent, aimed right, never delivered: blocked, or the receiver ended first.
      story = fmt::format(
          "{} sent {} to {} {}, but it was never delivered (blocked, or {} ended first)",
          c.names.Label(s->from), sig, s->to ? c.names.Label(s->to) : who_to, Context::At(s->t_us),
          who_to);
      break;
    }
  }
  if (story.empty()) {
    if (!e.from.empty() && !from.empty()) {
      std::vector<std::string> others;
      for (size_t i = 0; i < events.size(); ++i) {
        const Event& ev = events[i];
        if (ev.type != EventType::kSignalSent || !c.PartyIs(ev.from, e.from)) continue;
        others.push_back(fmt::format("{} to {} {}", SignalName(ev.sig),
                                     ev.to ? c.names.Label(ev.to) : "a group",
                                     Context::At(ev.t_us)));
        evidence->push_back(i);  // what it sent instead
      }
      AddEvidence(evidence, c.EndOf(from.front()));
      story = fmt::format("{} never sent {}", c.names.Label(from.front()), sig);
      if (!others.empty()) {
        story += " (it sent: ";
        for (size_t i = 0; i < others.size() && i < 4; ++i) story += (i ? ", " : "") + others[i];
        story += ")";
      }
      story += fmt::format("; {} {}", c.names.Label(from.front()), c.Fate(from.front()));
    } else {
      story = fmt::format("nobody sent {} to {}", sig, who_to);
      // What the receiver did get instead.
      for (size_t i = 0; i < events.size(); ++i)
        if (events[i].type == EventType::kSignalDelivered && Contains(to, events[i].pid))
          evidence->push_back(i);
    }
  }
  // Was the receiver already gone before anything could arrive?
  const ProcessRecord* rec = c.names.Record(to.front());
  if (rec && rec->exit) story += fmt::format("; {} {}", who_to, c.Fate(to.front()));
  if (auto from = c.OriginalSender(to.front());
      from && from->kind == Party::kTty && rec && rec->exit)
    story += fmt::format(" — does {} ignore or handle {}?", e.to, SignalName(rec->exit->sig));
  return story;
}

}  // namespace

Verdict CheckSignal(const Context& c, const Expectation& e) {
  auto to = c.names.Resolve(e.to);
  if (to.empty()) return Fail(e, c.Missing(e.to));
  int matched = 0;
  std::string evidence;
  std::vector<size_t> at;
  const auto& events = c.timeline.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.type != EventType::kSignalDelivered || ev.sig != e.sig ||
        !c.names.Means(e.to, ev.pid, i))
      continue;
    if (!c.PartyIs(ev.from, e.from, i)) continue;
    if (e.outcome && ev.outcome != *e.outcome) continue;
    ++matched;
    at.push_back(i);
    if (auto send = SendOf(c, i)) at.push_back(*send);
    if (evidence.empty())
      evidence =
          fmt::format("{} got {} from {} {} and {}", c.names.Label(ev.pid), SignalName(ev.sig),
                      c.names.Label(ev.from), Context::At(ev.t_us), Why(ev.outcome, ev.sig));
  }
  const IntRange want = e.count.empty() ? IntRange{1, std::nullopt} : e.count;
  if (matched > 0 && want.Contains(matched))
    return Pass(e, matched > 1 ? fmt::format("{} ({} times)", evidence, matched) : evidence, at);
  if (matched > 0)
    return Fail(e,
                fmt::format("it happened {} time{}, expected {}; first: {}", matched,
                            matched == 1 ? "" : "s", want.Describe(), evidence),
                at);
  if (want.Contains(0)) return Pass(e, "it never happened, as allowed");
  std::string expected =
      fmt::format("expected {} to {} {}{}", e.to, Verb(e.outcome), SignalName(e.sig),
                  e.from.empty() ? "" : " from " + Sender(e.from));
  std::string story = Diagnose(c, e, to, &at);
  return Fail(e, expected + "; " + story, at);
}

Verdict CheckNoSignal(const Context& c, const Expectation& e) {
  std::vector<pid_t> to;
  if (!e.to.empty()) {
    to = c.names.Resolve(e.to);
    if (to.empty())
      return Pass(e, fmt::format("no process was ever called '{}', so none got a signal", e.to));
  }
  const auto& events = c.timeline.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.type != EventType::kSignalDelivered) continue;
    if (e.sig && ev.sig != e.sig) continue;
    if (!e.to.empty() && !c.names.Means(e.to, ev.pid, i)) continue;
    if (!c.PartyIs(ev.from, e.from, i)) continue;
    if (e.sig == 0 && e.from.empty() && ev.sig == SIGCHLD && ev.from.kind == Party::kKernel)
      continue;
    std::vector<size_t> at{i};
    if (auto send = SendOf(c, i)) at.push_back(*send);
    return Fail(
        e,
        fmt::format("{} got {} from {} {} and {}", c.names.Label(ev.pid), SignalName(ev.sig),
                    c.names.Label(ev.from), Context::At(ev.t_us), Why(ev.outcome, ev.sig)),
        at);
  }
  return Pass(e, "no such signal was delivered");
}

}  // namespace proclab::expect
