// exit, killed, state, parent, reaped, pid, duration: one process's life.
#include <fmt/format.h>

#include <algorithm>

#include "runner/base/signal_names.h"
#include "runner/base/units.h"
#include "runner/expect/context.h"

namespace proclab::expect {
namespace {

std::string StateWord(char state) {
  switch (state) {
    case 'R': return "running";
    case 'S':
    case 'D':
    case 'I': return "sleeping";
    case 'T':
    case 't': return "stopped";
    case 'Z':
    case 'X': return "zombie";
    default: return "gone";
  }
}

// Checks every process called e.process; the first one that fails decides.
// `facts(pid)` is the evidence about one process.
template <class Facts, class Fn>
Verdict EachProcess(const Context& c, const Expectation& e, Facts facts, Fn check) {
  auto pids = c.names.Resolve(e.process);
  if (pids.empty()) return Fail(e, c.Missing(e.process));
  std::string why;
  std::vector<size_t> evidence;
  for (pid_t pid : pids) {
    std::string reason;
    if (!check(pid, &reason)) return Fail(e, reason, facts(pid));
    why += (why.empty() ? "" : "; ") + reason;
    AddEvidence(&evidence, facts(pid));
  }
  return Pass(e, why, evidence);
}

// The checkpoints that were taken, for one that was not; else the run's end.
std::vector<size_t> Checkpoints(const Context& c) {
  std::vector<size_t> out;
  const auto& events = c.timeline.events();
  for (size_t i = 0; i < events.size(); ++i)
    if (events[i].type == EventType::kCheckpoint) out.push_back(i);
  if (out.empty() && !events.empty()) out.push_back(events.size() - 1);
  return out;
}

// A process's birth, and what ended it.
std::vector<size_t> BirthAndEnd(const Context& c, pid_t pid) {
  std::vector<size_t> out = c.EndOf(pid);
  if (const ProcessRecord* rec = c.names.Record(pid)) AddEvidence(&out, {rec->first_event});
  return out;
}

}  // namespace

Verdict CheckExit(const Context& c, const Expectation& e) {
  auto facts = [&](pid_t pid) { return c.EndOf(pid); };
  return EachProcess(c, e, facts, [&](pid_t pid, std::string* why) {
    const ProcessRecord* rec = c.names.Record(pid);
    *why = fmt::format("{} {}", c.names.Label(pid), c.Fate(pid));
    if (!rec || !rec->exit || rec->exit->signaled || rec->killed_by_lab) {
      if (auto from = c.OriginalSender(pid); from && from->kind == Party::kTty)
        *why += fmt::format(" — does it ignore or handle {}?", SignalName(rec->exit->sig));
      return false;
    }
    if (e.code && rec->exit->code != *e.code) {
      *why += fmt::format(", not {}", *e.code);
      return false;
    }
    return true;
  });
}

Verdict CheckKilled(const Context& c, const Expectation& e) {
  auto facts = [&](pid_t pid) {
    std::vector<size_t> out = c.EndOf(pid);
    const auto& events = c.timeline.events();
    for (size_t i = 0; i < events.size(); ++i)
      if (e.core && events[i].type == EventType::kLimit && events[i].kind == "no_core")
        out.push_back(i);
    return out;
  };
  return EachProcess(c, e, facts, [&](pid_t pid, std::string* why) {
    const ProcessRecord* rec = c.names.Record(pid);
    *why = fmt::format("{} {}", c.names.Label(pid), c.Fate(pid));
    if (!rec || !rec->exit || !rec->exit->signaled || rec->killed_by_lab) return false;
    if (e.sig && rec->exit->sig != e.sig) {
      *why += fmt::format(", not by {}", SignalName(e.sig));
      return false;
    }
    if (e.core && rec->exit->core != *e.core) {
      *why += *e.core ? ", without a core dump" : ", with a core dump";
      // The lab may have forbidden it (a dump would have replaced a file).
      for (const Event& ev : c.timeline.events())
        if (*e.core && ev.type == EventType::kLimit && ev.kind == "no_core")
          *why += fmt::format(": {}", ev.detail);
      return false;
    }
    return true;
  });
}

Verdict CheckState(const Context& c, const Expectation& e) {
  const Event* cp = c.FindCheckpoint(e.at);
  if (!cp)
    return Fail(e, fmt::format("checkpoint '{}' was never taken — the run never reached it", e.at),
                Checkpoints(c));
  auto facts = [&](pid_t pid) {
    std::vector<size_t> out = c.EventsOf(
        pid, {EventType::kStop, EventType::kContinue, EventType::kExit, EventType::kReap});
    if (const ProcessRecord* rec = c.names.Record(pid)) out.push_back(rec->first_event);
    if (auto at = c.CheckpointIndex(e.at)) out.push_back(*at);
    return out;
  };
  return EachProcess(c, e, facts, [&](pid_t pid, std::string* why) {
    const ProcessRecord* rec = c.names.Record(pid);
    std::string state = "gone";
    char raw = '?';
    for (const auto& snap : cp->processes)
      if (snap.pid == pid) {
        state = StateWord(snap.state);
        raw = snap.state;
      }
    if (rec && rec->start_us > cp->t_us) {
      *why = fmt::format("{} did not exist yet at checkpoint '{}' ({})", c.names.Label(pid), e.at,
                         Context::At(cp->t_us));
      return false;
    }
    *why = fmt::format("at checkpoint '{}' ({}) {} was {}", e.at, Context::At(cp->t_us),
                       c.names.Label(pid), state == "gone" ? "gone (already reaped)" : state);
    if (raw != '?' && state != "gone") *why += fmt::format(" ({})", raw);
    if (state == e.is) return true;
    if (e.is == "zombie" && state == "gone" && rec && rec->reaped_by)
      *why += fmt::format("; it had been reaped by {} {}", c.names.Label(*rec->reaped_by),
                          Context::At(*rec->reaped_us));
    *why += fmt::format(", not {}", e.is);
    return false;
  });
}

Verdict CheckParent(const Context& c, const Expectation& e) {
  const Event* cp = e.at.empty() ? nullptr : c.FindCheckpoint(e.at);
  if (!e.at.empty() && !cp)
    return Fail(e, fmt::format("checkpoint '{}' was never taken — the run never reached it", e.at),
                Checkpoints(c));
  std::vector<pid_t> wanted =
      e.is == "lab" ? std::vector<pid_t>{c.timeline.lab.pid} : c.names.Resolve(e.is);
  if (wanted.empty()) return Fail(e, c.Missing(e.is));
  auto facts = [&](pid_t pid) {
    std::vector<size_t> out = c.EventsOf(pid, {EventType::kReparent});
    if (const ProcessRecord* rec = c.names.Record(pid)) {
      out.push_back(rec->first_event);
      // The old parent's exit, which orphaned it.
      if (!rec->adoptions.empty()) AddEvidence(&out, c.EventsOf(rec->ppid, {EventType::kExit}));
    }
    if (!e.at.empty())
      if (auto at = c.CheckpointIndex(e.at)) out.push_back(*at);
    return out;
  };
  return EachProcess(c, e, facts, [&](pid_t pid, std::string* why) {
    const ProcessRecord* rec = c.names.Record(pid);
    pid_t parent = rec ? rec->ppid : 0;
    std::string when = "in the end";
    if (cp) {
      when = fmt::format("at checkpoint '{}'", e.at);
      parent = 0;
      for (const auto& snap : cp->processes)
        if (snap.pid == pid) parent = snap.ppid;
      if (!parent) {
        *why = fmt::format("{} was not alive {}", c.names.Label(pid), when);
        return false;
      }
    } else if (rec && !rec->adoptions.empty()) {
      parent = rec->adoptions.back().second;
    }
    *why = fmt::format("{}'s parent {} was {}", c.names.Label(pid), when, c.names.Label(parent));
    if (rec && !rec->adoptions.empty())
      *why += fmt::format(" (born to {}, adopted by {} {})", c.names.Label(rec->ppid),
                          c.names.Label(rec->adoptions.front().second),
                          Context::At(rec->adoptions.front().first));
    if (std::find(wanted.begin(), wanted.end(), parent) != wanted.end()) return true;
    *why += fmt::format(", not {}", e.is == "lab" ? "the lab" : e.is);
    if (e.is == "lab" && rec && rec->adoptions.empty()) *why += ": it was never orphaned";
    return false;
  });
}

Verdict CheckReaped(const Context& c, const Expectation& e) {
  auto facts = [&](pid_t pid) { return BirthAndEnd(c, pid); };
  return EachProcess(c, e, facts, [&](pid_t pid, std::string* why) {
    const ProcessRecord* rec = c.names.Record(pid);
    if (!rec || !rec->exit) {
      *why = fmt::format("{} never exited", c.names.Label(pid));
      return false;
    }
    if (!rec->reaped_by) {
      *why = fmt::format("{} {} and was never reaped", c.names.Label(pid), c.Fate(pid));
      return false;
    }
    *why = fmt::format("{} {}; it was reaped by {} {}", c.names.Label(pid), c.Fate(pid),
                       rec->reaped_by->kind == Party::kKernel
                           ? "the kernel (its parent ignores SIGCHLD)"
                           : c.names.Label(*rec->reaped_by),
                       Context::At(*rec->reaped_us));
    if (!rec->adoptions.empty() && rec->reaped_by->IsProcess(c.timeline.lab.pid))
      *why += fmt::format(" after {} exited without waiting for it", c.names.Label(rec->ppid));
    if (c.PartyIs(*rec->reaped_by, e.by)) return true;
    *why += e.by == "kernel" ? fmt::format(", not by the kernel ({} did not ignore SIGCHLD)",
                                           c.names.Label(rec->ppid))
                             : fmt::format(", not by {}", e.by);
    return false;
  });
}

Verdict CheckPid(const Context& c, const Expectation& e) {
  if (!c.timeline.lab.pid_namespace) {
    Verdict v =
        Pass(e, "skipped: pids are repeatable only in a PID namespace, and this lab had none" +
                    (c.timeline.lab.note.empty() ? "" : " (" + c.timeline.lab.note + ")"));
    v.skipped = true;
    return v;
  }
  auto pids = c.names.Resolve(e.process);
  if (pids.empty()) return Fail(e, c.Missing(e.process));
  std::string why = fmt::format("{} had pid {}", e.process, pids.front());
  std::vector<size_t> birth;
  if (const ProcessRecord* rec = c.names.Record(pids.front())) birth.push_back(rec->first_event);
  return pids.front() == e.pid ? Pass(e, why, birth)
                               : Fail(e, why + fmt::format(", not {}", e.pid), birth);
}

Verdict CheckDuration(const Context& c, const Expectation& e) {
  int64_t start = 0, end = c.timeline.summary.end_us;
  std::string what = "the run";
  std::vector<size_t> evidence;
  if (!e.process.empty()) {
    auto pids = c.names.Resolve(e.process);
    if (pids.empty()) return Fail(e, c.Missing(e.process));
    const ProcessRecord* rec = c.names.Record(pids.front());
    evidence = BirthAndEnd(c, pids.front());
    if (!rec || !rec->end_us)
      return Fail(e, fmt::format("{} never ended", c.names.Label(pids.front())), evidence);
    start = rec->start_us;
    end = *rec->end_us;
    what = c.names.Label(pids.front());
  } else if (!c.timeline.events().empty()) {
    evidence = {0, c.timeline.events().size() - 1};
  }
  const int64_t took = end - start;
  std::string why = fmt::format("{} took {}s", what, FormatSeconds(took));
  Verdict v =
      e.min_us && took < *e.min_us
          ? Fail(e, why + fmt::format(", less than {}", FormatDuration(*e.min_us)), evidence)
      : e.max_us && took > *e.max_us
          ? Fail(e, why + fmt::format(", more than {}", FormatDuration(*e.max_us)), evidence)
          : Pass(e, why, evidence);
  v.measured = Measured{static_cast<double>(took) / 1e6, "s", {}};
  return v;
}

}  // namespace proclab::expect
