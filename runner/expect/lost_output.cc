#include "runner/expect/lost_output.h"

#include <fmt/format.h>

#include "runner/base/signal_names.h"
#include "runner/base/units.h"
#include "runner/expect/context.h"
#include "runner/expect/patterns.h"
#include "runner/scenario/names.h"
#include "runner/timeline/describe.h"

namespace proclab {
namespace {

constexpr size_t kMaxLinesShown = 3;

// Ended without a final write: a stdio buffer, if it held anything, was lost.
// A normal exit flushes, so its last act is a write to stdout when there was
// something to flush; _exit, a signal and the lab's kill leave none.
bool EndedWithoutFlush(const ProcessRecord& rec, const Timeline& t) {
  if (!rec.exit || !rec.actor.empty()) return false;  // actors write without stdio
  if (rec.exit->signaled) return true;
  const auto& events = t.events();
  const Event* last = nullptr;
  for (size_t i = rec.first_event; i < events.size() && i <= rec.last_event; ++i) {
    const Event& e = events[i];
    if (e.type == EventType::kExit && e.pid == rec.pid) break;
    if (e.type != EventType::kSignalDelivered && DoneBy(e) == rec.pid) last = &e;
  }
  return !last || last->type != EventType::kOutput || last->stream != Stream::kStdout;
}

bool AnyEndedWithoutFlush(const Names& names, const std::string& by, const Timeline& t) {
  if (by.empty()) {
    for (const auto& rec : names.records())
      if (EndedWithoutFlush(rec, t)) return true;
    return false;
  }
  for (const ProcessRecord* rec : names.ResolveRecords(by))
    if (EndedWithoutFlush(*rec, t)) return true;
  return false;
}

// Whether an `output` expectation found fewer lines than it wanted (too many
// is no buffer's fault).
bool TooFew(const Expectation& e, const Names& names, const Timeline& t) {
  auto re = ExpandPattern(e.pattern, names);
  if (!re) return false;  // its writer never existed
  int64_t matched = 0;
  const auto& events = t.events();
  for (size_t i = 0; i < events.size(); ++i)
    if (WrittenBy(events[i], i, e.by, e.stream, names) && re->Search(events[i].text)) ++matched;
  const int64_t want = e.count.empty() ? 1 : e.count.min.value_or(0);
  return matched < want;
}

// How the pipe run's process ended, as the cause of the loss.
std::string HowItEnded(const expect::Context& c, const ProcessRecord& rec) {
  const std::string when = FormatSeconds(*rec.end_us);
  if (rec.killed_by_lab)
    return fmt::format("the lab killed it at {}s ({})", when, *rec.killed_by_lab);
  if (rec.exit->signaled) {
    std::string from;
    if (auto d = c.KillingDelivery(rec.pid); d && !d->from.IsProcess(rec.pid))
      from = " from " + c.names.Label(d->from);
    return fmt::format("it was killed by {}{} at {}s", SignalName(rec.exit->sig), from, when);
  }
  return fmt::format("it exited (code {}) at {}s without flushing it ({})", rec.exit->code, when,
                     c.RunsPython(rec.pid) ? "os._exit() does that; a normal exit flushes"
                                           : "_exit() does that; exit() and main's return flush");
}

std::string Quoted(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += i + 1 == lines.size() ? " and " : ", ";
    out += fmt::format("'{}'", QuoteOutput(lines[i], 100));
  }
  return out;
}

}  // namespace

std::vector<LostOutputSuspect> FindLostOutputSuspects(const Scenario& s, const Timeline& pipe,
                                                      const std::vector<Verdict>& verdicts) {
  std::vector<LostOutputSuspect> out;
  if (!s.has_program() || s.tty || !pipe.launch_error.empty()) return out;
  const Names names(s, pipe);
  // Written verdicts come in the order of the expectations judged (judge.cc).
  std::vector<const Expectation*> judged;
  for (const auto& e : s.expectations)
    if (e.enabled ||
        (e.kind != Expectation::Kind::kNoLeaks && e.kind != Expectation::Kind::kNoZombies))
      judged.push_back(&e);
  std::vector<size_t> written;
  for (size_t i = 0; i < verdicts.size(); ++i)
    if (verdicts[i].origin == Verdict::Origin::kWritten) written.push_back(i);
  if (written.size() == judged.size()) {
    for (size_t k = 0; k < judged.size(); ++k) {
      const Expectation& e = *judged[k];
      if (e.kind != Expectation::Kind::kOutput || verdicts[written[k]].passed) continue;
      if (e.stream == Stream::kStderr || !TooFew(e, names, pipe)) continue;
      if (!AnyEndedWithoutFlush(names, e.by, pipe)) continue;
      out.push_back({LostOutputSuspect::Kind::kVerdict, written[k], e.pattern, e.by});
    }
  }
  for (const auto& r : pipe.steps) {
    if (r.ok || r.index < 0 || static_cast<size_t>(r.index) >= s.steps.size()) continue;
    const Step& st = s.steps[static_cast<size_t>(r.index)];
    const bool output =
        st.kind == Step::Kind::kExpectOutput ||
        (st.kind == Step::Kind::kWaitFor && st.wait_kind == Step::WaitKind::kOutput);
    if (!output || st.stream == Stream::kStderr) continue;
    if (!AnyEndedWithoutFlush(names, st.by, pipe)) continue;
    out.push_back(
        {LostOutputSuspect::Kind::kStep, static_cast<size_t>(r.index), st.pattern, st.by});
  }
  return out;
}

std::string LostOutputNote(const Scenario& s, const LostOutputSuspect& suspect,
                           const Timeline& pipe, const Timeline& tty) {
  const Names on_tty(s, tty), on_pipe(s, pipe);
  auto re = ExpandPattern(suspect.pattern, on_tty);
  if (!re) return {};
  const std::optional<Stream> stdout_only = Stream::kStdout;
  // Whether the pipe run has this line from a process of the same name.
  auto pipe_has = [&](const std::string& text, const std::string& name) {
    const auto& events = pipe.events();
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i].type == EventType::kOutput && events[i].stream == Stream::kStdout &&
          events[i].text == text && (name.empty() || on_pipe.Means(name, events[i].pid, i)))
        return true;
    return false;
  };
  const ProcessRecord* writer = nullptr;  // on the terminal: who printed what the pipe lacks
  std::vector<std::string> lines;
  const auto& events = tty.events();
  for (size_t i = 0; i < events.size() && lines.size() < kMaxLinesShown; ++i) {
    const Event& e = events[i];
    if (!WrittenBy(e, i, suspect.by, stdout_only, on_tty) || !re->Search(e.text)) continue;
    const ProcessRecord* rec = on_tty.RecordAt(e.pid, i);
    if (!rec || (writer && rec->id != writer->id)) continue;
    if (pipe_has(e.text, on_tty.NameOf(*rec))) continue;
    writer = rec;
    lines.push_back(e.text);
  }
  if (!writer) return {};
  // Its counterpart through the pipe: the process of the same name (or pid)
  // that ended without a flush. Without one, the difference is not the
  // buffer's doing (a program that prints only on a terminal).
  const std::string name = on_tty.NameOf(*writer);
  const ProcessRecord* lost = nullptr;
  if (!name.empty()) {
    for (const ProcessRecord* rec : on_pipe.ResolveRecords(name))
      if (!lost && EndedWithoutFlush(*rec, pipe)) lost = rec;
  } else if (const ProcessRecord* rec = on_pipe.Record(writer->pid);
             rec && EndedWithoutFlush(*rec, pipe)) {
    lost = rec;
  }
  if (!lost) return {};
  const expect::Context c{s, pipe, on_pipe};
  const std::string tty_label = on_tty.Label(*writer), pipe_label = on_pipe.Label(*lost);
  return fmt::format(
      "On a terminal, {} printed {}; through a pipe {} never wrote {}: its stdio buffer was lost "
      "when {}. On a pipe, stdout is block-buffered: {} writes a line out at once.",
      tty_label, Quoted(lines), tty_label == pipe_label ? "it" : pipe_label,
      lines.size() == 1 ? "it" : "them", HowItEnded(c, *lost),
      c.RunsPython(lost->pid) ? "print(…, flush=True)" : "fflush(stdout) after printf");
}

}  // namespace proclab
