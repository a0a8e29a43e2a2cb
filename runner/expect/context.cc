#include "runner/expect/context.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>

#include <algorithm>

#include "runner/base/signal_names.h"
#include "runner/base/units.h"
#include "runner/expect/hang.h"

namespace proclab::expect {

std::string Context::At(int64_t t_us) { return fmt::format("at {}s", FormatSeconds(t_us)); }

std::optional<Event> Context::KillingDelivery(pid_t pid) const {
  const ProcessRecord* rec = names.Record(pid);
  if (!rec || !rec->exit || !rec->exit->signaled) return std::nullopt;
  std::optional<Event> found;
  for (const auto& e : timeline.events())
    if (e.type == EventType::kSignalDelivered && e.pid == pid && e.sig == rec->exit->sig &&
        e.t_us >= rec->start_us && e.t_us <= *rec->end_us)
      found = e;
  return found;
}

std::string Context::Fate(pid_t pid) const {
  const ProcessRecord* rec = names.Record(pid);
  if (!rec) return "never existed";
  if (!rec->exit) return "never ended";
  std::string when = At(*rec->end_us);
  if (rec->killed_by_lab) {
    if (auto stop = LastStop(pid))
      return fmt::format(
          "was stopped by {}{} {} and stayed stopped until the lab killed it {} ({})",
          SignalName(stop->sig), StopSender(pid, stop->sig), At(stop->t_us), when,
          *rec->killed_by_lab);
    // What it was stuck in, when the timeout's snapshot says.
    if (const Event* timeout = FindTimeout(timeline))
      if (auto stuck = StuckPhrase(names, *timeout, pid))
        return fmt::format("was {}{} when the lab killed it {} ({})", *stuck,
                           stuck->find(',') == std::string::npos ? "" : ",", when,
                           *rec->killed_by_lab);
    return fmt::format("was still running when the lab killed it {} ({})", when,
                       *rec->killed_by_lab);
  }
  // A limit that ended it is named: "used its 1s CPU limit (SIGXCPU)".
  const auto& events = timeline.events();
  const Event* refused_write = nullptr;  // a file size limit that did not kill it
  for (size_t i = rec->first_event; i < events.size() && i <= rec->last_event; ++i) {
    if (events[i].type != EventType::kLimit || events[i].pid != pid) continue;
    const bool by_sigxfsz = rec->exit->signaled && rec->exit->sig == SIGXFSZ;
    if (events[i].kind == "cpu" || events[i].kind == "memory_total" ||
        (events[i].kind == "file_size" && by_sigxfsz))
      return fmt::format("{} {}", events[i].detail, when);
    if (events[i].kind == "file_size" && !refused_write) refused_write = &events[i];
  }
  if (refused_write && !rec->exit->signaled)
    return fmt::format("exited with code {} {}, after it {} {}", rec->exit->code, when,
                       refused_write->detail, At(refused_write->t_us));
  if (!rec->exit->signaled)
    return fmt::format("exited with code {} {}{}", rec->exit->code, when, MemoryHint(*rec));
  std::string from;
  if (auto d = KillingDelivery(pid)) {
    if (!d->from.IsProcess(pid)) {
      from = " from " + names.Label(d->from);
    } else if (auto first = FirstDelivery(pid, d->sig); first && !first->from.IsProcess(pid)) {
      // It caught the signal, then re-raised it with the default action to die
      // of it properly (Python does this after an unhandled KeyboardInterrupt).
      from = fmt::format(
          " (it re-raised the {} {} sent it {}{})", SignalName(d->sig), names.Label(first->from),
          At(first->t_us),
          RunsPython(pid) && d->sig == SIGINT ? ": an unhandled KeyboardInterrupt" : "");
    } else {
      from = " it sent itself";
    }
  }
  return fmt::format("was killed by {}{}{} {}{}", SignalName(rec->exit->sig), from,
                     rec->exit->core ? " (core dumped)" : "", when, MemoryHint(*rec));
}

// RLIMIT_AS makes an allocation fail, which the kernel does not report: a
// process that ended badly under it may have run out.
std::string Context::MemoryHint(const ProcessRecord& rec) const {
  if (scenario.limits.memory <= 0 || !rec.exit) return {};
  const bool badly = rec.exit->signaled ? rec.exit->sig == SIGSEGV || rec.exit->sig == SIGABRT ||
                                              rec.exit->sig == SIGBUS
                                        : rec.exit->code != 0;
  if (!badly) return {};
  return fmt::format(
      " (its address space was limited to {}: an allocation that fails ends many "
      "programs this way)",
      FormatSize(scenario.limits.memory));
}

bool Context::RunsPython(pid_t pid) const {
  const ProcessRecord* rec = names.Record(pid);
  return rec && rec->name.starts_with("python");
}

// The stop `pid` was in at its end, if it never continued after it.
std::optional<Event> Context::LastStop(pid_t pid) const {
  std::optional<Event> stop;
  for (const auto& e : timeline.events()) {
    if (e.pid != pid) continue;
    if (e.type == EventType::kStop) stop = e;
    if (e.type == EventType::kContinue) stop.reset();
  }
  return stop;
}

std::string Context::StopSender(pid_t pid, int sig) const {
  std::optional<Event> d;
  for (const auto& e : timeline.events())
    if (e.type == EventType::kSignalDelivered && e.pid == pid && e.sig == sig &&
        e.outcome == Outcome::kStopped)
      d = e;
  if (!d) return {};
  if (d->from.IsProcess(pid)) return " (it stopped itself)";
  return " from " + names.Label(d->from);
}

std::optional<Event> Context::FirstDelivery(pid_t pid, int sig) const {
  for (const auto& e : timeline.events())
    if (e.type == EventType::kSignalDelivered && e.pid == pid && e.sig == sig) return e;
  return std::nullopt;
}

std::optional<Party> Context::OriginalSender(pid_t pid) const {
  auto d = KillingDelivery(pid);
  if (!d) return std::nullopt;
  if (!d->from.IsProcess(pid)) return d->from;
  if (auto first = FirstDelivery(pid, d->sig)) return first->from;
  return d->from;
}

// Why no child of `role.child_of` took the role: none was forked, too few,
// or some were and none passed the role's `comm`/`argv` filter (named, so
// that a student sees what their program really ran).
std::string Context::ChildrenThatDidNotMatch(const Role& role) const {
  const auto parents = names.Resolve(role.child_of);
  std::vector<const ProcessRecord*> children;
  for (const auto& rec : names.records())
    if (std::find(parents.begin(), parents.end(), rec.ppid) != parents.end())
      children.push_back(&rec);
  const bool filtered = !role.comm.empty() || !role.argv_regex.empty();
  if (children.empty() || !filtered)
    return fmt::format("but {} never forked {})", role.child_of,
                       role.nth > 1 && !children.empty() ? "that many" : "one");
  std::string seen;
  for (size_t i = 0; i < children.size() && i < 3; ++i) {
    const std::string argv = fmt::format("{}", fmt::join(children[i]->argv, " "));
    seen += fmt::format("{}{} '{}'", i ? ", " : "", names.Label(children[i]->pid),
                        argv.empty() ? children[i]->name : argv);
  }
  if (children.size() > 3) seen += fmt::format(" and {} more", children.size() - 3);
  const std::string filter = !role.argv_regex.empty() ? fmt::format("argv /{}/", role.argv_regex)
                                                      : fmt::format("comm '{}'", role.comm);
  return fmt::format("but none of the {} {} {} forked matched {}: {})", children.size(),
                     children.size() == 1 ? "child" : "children", role.child_of, filter, seen);
}

std::string Context::Missing(const std::string& name) const {
  std::string known;
  for (const auto& n : scenario.ProcessNames()) {
    if (names.Resolve(n).empty()) continue;
    known += (known.empty() ? "" : ", ") + n;
  }
  std::string msg = fmt::format("no process was ever called '{}'", name);
  if (const Role* role = scenario.FindRole(name)) {
    if (!role->child_of.empty())
      msg += (role->nth ? fmt::format(" (it would be child #{} of {}, ", role->nth, role->child_of)
                        : fmt::format(" (it would be a child of {}, ", role->child_of)) +
             (names.Resolve(role->child_of).empty()
                  ? fmt::format("but {} never existed either)", role->child_of)
                  : ChildrenThatDidNotMatch(*role));
  } else if (scenario.FindActor(name)) {
    msg += " (no actor ever forked it)";
  }
  if (!known.empty()) msg += fmt::format("; processes that did exist: {}", known);
  return msg;
}

bool Context::PartyIs(const Party& p, const std::string& who, size_t index) const {
  if (who.empty()) return true;
  if (who == "tty") return p.kind == Party::kTty;
  if (who == "kernel") return p.kind == Party::kKernel;
  if (who == "lab") return p.kind == Party::kLab || p.IsProcess(timeline.lab.pid);
  if (p.kind != Party::kProcess) return false;
  if (index != SIZE_MAX) return names.MeansSender(who, p.pid, index);
  for (pid_t pid : names.Resolve(who))
    if (p.pid == pid) return true;
  return false;
}

const Event* Context::FindCheckpoint(const std::string& name) const {
  for (const auto& e : timeline.events())
    if (e.type == EventType::kCheckpoint && e.name == name) return &e;
  return nullptr;
}

std::optional<size_t> Context::CheckpointIndex(const std::string& name) const {
  const auto& events = timeline.events();
  for (size_t i = 0; i < events.size(); ++i)
    if (events[i].type == EventType::kCheckpoint && events[i].name == name) return i;
  return std::nullopt;
}

std::vector<size_t> Context::EventsOf(pid_t pid, std::initializer_list<EventType> types) const {
  std::vector<size_t> out;
  const ProcessRecord* rec = names.Record(pid);
  if (!rec) return out;
  const auto& events = timeline.events();
  for (size_t i = rec->first_event; i < events.size() && i <= rec->last_event; ++i) {
    const Event& e = events[i];
    if (e.pid != pid) continue;
    for (EventType t : types)
      if (e.type == t) {
        out.push_back(i);
        break;
      }
  }
  return out;
}

std::vector<size_t> Context::EndOf(pid_t pid) const {
  const ProcessRecord* rec = names.Record(pid);
  if (!rec) return {};
  if (!rec->exit) return {rec->first_event};
  std::vector<size_t> out =
      EventsOf(pid, {EventType::kExit, EventType::kReap, EventType::kKilledByLab, EventType::kStop,
                     EventType::kContinue});
  // A stop it left again says nothing about its end.
  std::vector<size_t> kept;
  const auto& events = timeline.events();
  for (size_t k = 0; k < out.size(); ++k) {
    const EventType t = events[out[k]].type;
    if (t == EventType::kContinue) continue;
    if (t == EventType::kStop && k + 1 < out.size() &&
        events[out[k + 1]].type == EventType::kContinue)
      continue;
    kept.push_back(out[k]);
  }
  if (rec->exit->signaled) {
    // The delivery that killed it: the last of its signal before the exit.
    std::optional<size_t> killing;
    for (size_t i : EventsOf(pid, {EventType::kSignalDelivered}))
      if (events[i].sig == rec->exit->sig) killing = i;
    if (killing) kept.push_back(*killing);
  }
  AddEvidence(&kept, {});
  return kept;
}

void AddEvidence(std::vector<size_t>* to, const std::vector<size_t>& more) {
  to->insert(to->end(), more.begin(), more.end());
  std::sort(to->begin(), to->end());
  to->erase(std::unique(to->begin(), to->end()), to->end());
  if (to->size() > kMaxEvidence) to->resize(kMaxEvidence);
}

Verdict Pass(const Expectation& e, std::string why, const std::vector<size_t>& evidence) {
  Verdict v{true,     false, e.Describe(), std::move(why), e.loc, Verdict::Origin::kWritten,
            e.points, {},    std::nullopt};
  AddEvidence(&v.evidence, evidence);
  return v;
}

Verdict Fail(const Expectation& e, std::string why, const std::vector<size_t>& evidence) {
  Verdict v{false,    false, e.Describe(), std::move(why), e.loc, Verdict::Origin::kWritten,
            e.points, {},    std::nullopt};
  AddEvidence(&v.evidence, evidence);
  return v;
}

}  // namespace proclab::expect
