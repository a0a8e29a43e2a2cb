#include "runner/run/scenario_steps.h"

#include <fmt/format.h>

#include <algorithm>

#include "runner/base/signal_names.h"
#include "runner/base/units.h"
#include "runner/expect/hang.h"
#include "runner/expect/patterns.h"
#include "runner/scenario/names.h"

namespace proclab {
namespace {

char KeyByte(const std::string& key) {
  if (key == "ctrl-c") return '\x03';          // VINTR: SIGINT
  if (key == "ctrl-backslash") return '\x1c';  // VQUIT: SIGQUIT
  if (key == "ctrl-z") return '\x1a';          // VSUSP: SIGTSTP
  return '\x04';                               // ctrl-d, VEOF
}

// Why the run ended under a waiting step, when it timed out: what the
// processes the step was about (`about`; empty: all) were stuck in.
std::string EndedBy(const Names& names, const std::vector<pid_t>& about) {
  const Event* timeout = expect::FindTimeout(names.timeline());
  if (!timeout) return {};
  std::string hang = expect::DescribeHang(names, *timeout, about);
  return fmt::format(": it timed out at {}s{}", FormatSeconds(timeout->t_us),
                     hang.empty() ? "" : "; " + hang);
}

// How each process named `name` ended, for a message: "driver (pid 2) was
// killed by SIGINT from the terminal at 0.310s".
std::string Fate(const Names& names, const std::string& name) {
  std::string out;
  for (pid_t pid : names.Resolve(name)) {
    const ProcessRecord* rec = names.Record(pid);
    if (!rec || !rec->exit) continue;
    std::string how = rec->exit->signaled
                          ? fmt::format("was killed by {}", SignalName(rec->exit->sig))
                          : fmt::format("exited with code {}", rec->exit->code);
    if (rec->exit->signaled) {
      for (const auto& e : names.timeline().events())
        if (e.type == EventType::kSignalDelivered && e.pid == pid && e.sig == rec->exit->sig &&
            e.outcome == Outcome::kKilled)
          how += " from " + names.Label(e.from);
    }
    out += fmt::format("; {} {} at {}s", names.Label(pid), how, FormatSeconds(*rec->end_us));
  }
  return out;
}

}  // namespace

std::string StepText(const Step& st) {
  switch (st.kind) {
    case Step::Kind::kSleep: return fmt::format("sleep {}", FormatDuration(st.us));
    case Step::Kind::kWaitFor:
      switch (st.wait_kind) {
        case Step::WaitKind::kFork: return fmt::format("wait_for fork {}", st.target);
        case Step::WaitKind::kExit: return fmt::format("wait_for exit {}", st.target);
        case Step::WaitKind::kOutput: return fmt::format("wait_for output '{}'", st.pattern);
        case Step::WaitKind::kCheckpoint: return fmt::format("wait_for checkpoint {}", st.target);
      }
      break;
    case Step::Kind::kSignal: return fmt::format("signal {} to {}", SignalName(st.sig), st.target);
    case Step::Kind::kKey: return fmt::format("key {}", st.key);
    case Step::Kind::kStdin: return "stdin";
    case Step::Kind::kCloseStdin: return "close_stdin";
    case Step::Kind::kExpectOutput: return fmt::format("expect_output '{}'", st.pattern);
    case Step::Kind::kCheckpoint: return fmt::format("checkpoint {}", st.target);
    case Step::Kind::kSettle: return "settle";
  }
  return "step";
}

// With alternative role assignments the run does not know yet which one
// the judge will choose: steps name processes only by the roles every
// assignment shares (main, its first child…), never by one assignment's.
ScenarioSteps::ScenarioSteps(const Scenario& s) : s_(s) {
  if (s.alternative_roles.empty()) return;
  Scenario shared = s;
  shared.alternative_roles.clear();
  std::erase_if(shared.roles, [&](const Role& r) {
    for (const auto& other : s.alternative_roles)
      if (std::none_of(other.begin(), other.end(), [&](const Role& o) { return o.SameRule(r); }))
        return true;
    return false;
  });
  naming_ = std::make_unique<Scenario>(std::move(shared));
}

// Names are worked out again only when the timeline grew since last time:
// a step that waits long (a sleep during a fork storm) costs nothing per
// event.
const Names& ScenarioSteps::NamesNow(const Timeline& t) {
  if (!names_ || names_at_ != t.events().size()) {
    names_.emplace(naming_ ? *naming_ : s_, t);
    names_at_ = t.events().size();
  }
  return *names_;
}

// Polling /proc while a program is busy: often enough that a key lands soon
// after the program blocks, rarely enough to cost nothing.
constexpr int64_t kRestPollUs = 10'000;

std::optional<ScenarioSteps::Progress> ScenarioSteps::AwaitRest(LabControl& lab, const Names& names,
                                                                int64_t quiet_us, int64_t cap_at) {
  if (rested_) return std::nullopt;
  const int64_t now = lab.Now();
  const Activity a = lab.ReadActivity();
  const int64_t quiet_at = a.last_output_us < 0 ? 0 : a.last_output_us + quiet_us;
  if (a.busy.empty() && now >= quiet_at) {
    rested_ = true;
    return std::nullopt;
  }
  if (now >= cap_at) {
    rested_ = true;
    std::string who;
    for (pid_t pid : a.busy) who += (who.empty() ? "" : ", ") + names.Label(pid);
    note_ = fmt::format("sent after {} without the program settling: {}",
                        FormatDuration(now - started_),
                        who.empty() ? "its output never paused for " + FormatDuration(quiet_us)
                                    : who + " kept running");
    return std::nullopt;
  }
  return Progress::Until(std::min(a.busy.empty() ? quiet_at : now + kRestPollUs, cap_at));
}

ScenarioSteps::Progress ScenarioSteps::Try(const Step& st, LabControl& lab, bool ended) {
  const int64_t now = lab.Now();
  if (st.kind == Step::Kind::kSleep) {
    if (ended || now >= started_ + st.us) return Progress::Ok();
    return Progress::Until(started_ + st.us);
  }
  const Names& names = NamesNow(lab.timeline());
  if (st.kind == Step::Kind::kSettle) {
    if (ended) return Progress::Ok();
    const int64_t quiet = st.quiet_us >= 0 ? st.quiet_us : s_.pace.quiet_us;
    if (auto wait = AwaitRest(lab, names, quiet, started_ + (st.us > 0 ? st.us : s_.pace.max_us)))
      return *wait;
    Progress p = Progress::Ok();
    p.note = note_;
    return p;
  }
  const bool stimulus = st.kind == Step::Kind::kKey || st.kind == Step::Kind::kStdin ||
                        st.kind == Step::Kind::kSignal;
  if (stimulus && s_.pace.on && !ended) {
    if (auto wait = AwaitRest(lab, names, s_.pace.quiet_us, started_ + s_.pace.max_us))
      return *wait;
  }
  const int64_t deadline = st.us > 0 ? started_ + st.us : -1;
  // `exists`: what the step waits on is there, so missing it need not end
  // the run (a step waiting for a process that never appeared cannot go on).
  auto wait = [&](const std::string& failure, bool exists = true) -> Progress {
    if (ended) {
      const std::string& about = st.by.empty() ? st.target : st.by;
      return Progress::Failed(
          failure + " — and the run ended" +
          EndedBy(names, about.empty() ? std::vector<pid_t>{} : names.Resolve(about)));
    }
    if (deadline >= 0 && now >= deadline) {
      Progress p = Progress::Failed(fmt::format("{} within {}", failure, FormatDuration(st.us)));
      p.missed = exists && !st.required;
      return p;
    }
    return Progress::Until(deadline);
  };
  switch (st.kind) {
    case Step::Kind::kSleep:
    case Step::Kind::kSettle: break;  // above
    case Step::Kind::kCheckpoint:
      if (ended) return Progress::Failed("not taken: the run ended first");
      lab.TakeCheckpoint(st.target);
      return Progress::Ok();
    case Step::Kind::kSignal: {
      if (ended) return Progress::Failed("not sent: the run ended first");
      auto targets = names.ResolveRecords(st.target);
      if (targets.empty())
        return Progress::Failed(fmt::format("no process is called '{}'", st.target));
      // A reaped process is gone: its pid may be someone else's by now.
      std::string gone;
      int sent = 0;
      for (const ProcessRecord* rec : targets) {
        if (rec->reaped_by) {
          gone = fmt::format("{} had already exited at {}s", names.Label(*rec),
                             FormatSeconds(rec->end_us.value_or(0)));
          continue;
        }
        lab.SendSignal(rec->pid, st.sig);
        ++sent;
      }
      if (sent == 0) return Progress::Failed(fmt::format("not sent: {}", gone));
      return Progress::Ok();
    }
    case Step::Kind::kKey:
    case Step::Kind::kStdin: {
      if (ended) return Progress::Failed("not sent: the run ended first");
      std::string bytes = st.kind == Step::Kind::kKey ? std::string(1, KeyByte(st.key)) : st.text;
      if (!lab.WriteInput(bytes)) return Progress::Failed("the program's input is already closed");
      return Progress::Ok();
    }
    case Step::Kind::kCloseStdin:
      if (!ended && !lab.CloseInput())
        return Progress::Failed("the program's input is already closed");
      return Progress::Ok();
    case Step::Kind::kWaitFor:
      if (st.wait_kind == Step::WaitKind::kFork) {
        if (!names.Resolve(st.target).empty()) return Progress::Ok();
        return wait(fmt::format("no process called '{}' appeared", st.target), false);
      }
      if (st.wait_kind == Step::WaitKind::kExit) {
        auto pids = names.Resolve(st.target);
        for (pid_t pid : pids)
          if (const ProcessRecord* rec = names.Record(pid); rec && rec->exit) return Progress::Ok();
        return wait(pids.empty() ? fmt::format("no process called '{}' appeared", st.target)
                                 : fmt::format("{} did not exit", names.Label(pids.front())),
                    !pids.empty());
      }
      if (st.wait_kind == Step::WaitKind::kCheckpoint) {
        for (const auto& e : lab.timeline().events())
          if (e.type == EventType::kCheckpoint && e.name == st.target) return Progress::Ok();
        return wait(fmt::format("no checkpoint '{}' was taken", st.target));
      }
      [[fallthrough]];
    case Step::Kind::kExpectOutput: {
      std::string missing;
      auto re = ExpandPattern(st.pattern, names, &missing);
      const auto& events = lab.timeline().events();
      if (re) {
        // Lines before scanned_ were looked at for this step already.
        for (size_t i = std::max(cursor_, scanned_); i < events.size(); ++i) {
          if (!WrittenBy(events[i], i, st.by, st.stream, names) || !re->Search(events[i].text))
            continue;
          cursor_ = i + 1;  // later expects look after this line, as pexpect does
          return Progress::Ok();
        }
        if (missing.empty()) scanned_ = events.size();
        // A prompt ("name? ") has no newline yet: with `partial`, match
        // unfinished lines too.
        for (const PartialLine& line :
             st.partial ? lab.PartialLines() : std::vector<PartialLine>{}) {
          Event probe;
          probe.type = EventType::kOutput;
          probe.pid = line.pid;
          probe.stream = line.stream;
          if (!WrittenBy(probe, events.size(), st.by, st.stream, names) || !re->Search(line.text))
            continue;
          lab.EndPartialLine(line.pid, line.stream);
          cursor_ = lab.timeline().events().size();
          return Progress::Ok();
        }
      }
      std::string what = fmt::format("no line matching '{}'{}{} was printed", st.pattern,
                                     st.by.empty() ? "" : " by " + st.by,
                                     st.stream ? " on " + std::string(StreamName(*st.stream)) : "");
      if (!missing.empty()) what += fmt::format(" (there is no process called '{}' yet)", missing);
      const bool writer_exists = st.by.empty() || !names.Resolve(st.by).empty();
      Progress p = wait(what, missing.empty() && writer_exists);
      if (p.done) {
        p.message += st.by.empty() ? "" : Fate(names, st.by);
        p.message += '\n';
        p.message += OutputTail(names, events.size());
      }
      return p;
    }
  }
  return Progress::Ok();
}

int64_t ScenarioSteps::Advance(LabControl& lab) {
  while (next_ < s_.steps.size() && !failed_) {
    const Step& st = s_.steps[next_];
    if (started_ < 0) started_ = lab.Now();
    Progress p = Try(st, lab, false);
    if (!p.done) return p.until;
    Conclude(lab, p);
  }
  return -1;
}

void ScenarioSteps::Conclude(LabControl& lab, const Progress& p) {
  const Step& st = s_.steps[next_];
  StepResult r;
  r.index = static_cast<int>(next_);
  r.ok = p.ok;
  r.t_us = lab.Now();
  r.text = StepText(st);
  if (!p.ok) {
    // "(the steps went on)" ends the first line, before any output tail.
    std::string why = p.message;
    if (p.missed) why.insert(std::min(why.find('\n'), why.size()), "; the steps went on");
    r.message = fmt::format("step {} ({}): {}", next_ + 1, StepText(st), why);
  }
  if (p.ok) r.note = p.note.empty() ? note_ : p.note;
  lab.RecordStep(r);
  ++next_;
  started_ = -1;
  scanned_ = 0;
  rested_ = false;
  note_.clear();
  if (!p.ok && !p.missed) {
    failed_ = true;
    lab.Abort(fmt::format("step {} failed", r.index + 1));
  }
}

void ScenarioSteps::Finish(LabControl& lab) {
  if (failed_) return;
  while (next_ < s_.steps.size()) {
    if (started_ < 0) started_ = lab.Now();
    Progress p = Try(s_.steps[next_], lab, true);
    Conclude(lab, p);
    if (!p.ok) break;  // the rest were never reached; the first failure says why
  }
}

}  // namespace proclab
