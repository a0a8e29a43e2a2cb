#include "reports/html/page_model.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string_view>
#include <tuple>

#include "reports/html/lanes.h"
#include "runner/base/signal_names.h"
#include "runner/base/units.h"
#include "runner/timeline/describe.h"

namespace proclab::html {
namespace {

using nlohmann::json;

std::string Join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

std::string ExitText(const ExitStatus& x) {
  if (!x.signaled) return fmt::format("exit {}", x.code);
  return SignalName(x.sig) + (x.core ? " (core)" : "");
}

std::string Snapshot(const std::vector<ProcessSnapshot>& procs) {
  std::string out;
  for (const auto& p : procs)
    out += fmt::format("\npid {} {} {} ppid {} pgid {}{}", p.pid, p.name, p.state, p.ppid, p.pgid,
                       p.threads > 1 ? fmt::format(" threads {}", p.threads) : "");
  return out;
}

class Builder {
 public:
  Builder(const PageRun& run, const Timeline& t) : run_(run), t_(t), lanes_(t) {}

  json Build() {
    json m;
    m["title"] = run_.title;
    m["subtitle"] = run_.subtitle;
    m["status"] = run_.status;
    m["reason"] = run_.reason;
    m["seconds"] = run_.seconds;
    m["command"] = Join(t_.command);
    m["end_us"] = End();
    m["events"] = t_.events().size();
    if (!t_.launch_error.empty()) m["launch_error"] = t_.launch_error;
    if (!t_.summary.lab_error.empty()) m["lab_error"] = t_.summary.lab_error;
    m["lanes"] = LanesJson();
    Marks();
    m["marks"] = std::move(marks_);
    m["output"] = std::move(output_);
    json verdicts = json::array();
    for (const Verdict& v : run_.verdicts)
      verdicts.push_back({{"x", v.expectation},
                          {"ok", v.passed},
                          {"skip", v.skipped},
                          {"why", v.explanation},
                          {"e", v.evidence}});
    m["verdicts"] = verdicts;
    return m;
  }

 private:
  [[nodiscard]] int64_t End() const {
    int64_t end = t_.summary.end_us;
    if (!t_.events().empty()) end = std::max(end, t_.events().back().t_us);
    return end;
  }

  json LanesJson() {
    json out = json::array();
    int color = 0;
    for (const Lane& lane : lanes_.lanes()) {
      json l;
      switch (lane.kind) {
        case Lane::Kind::kLab: l = {{"kind", "party"}, {"label", "lab"}}; break;
        case Lane::Kind::kTty: l = {{"kind", "party"}, {"label", "tty"}}; break;
        case Lane::Kind::kKernel: l = {{"kind", "party"}, {"label", "kernel"}}; break;
        case Lane::Kind::kUnknown: l = {{"kind", "party"}, {"label", "outside the lab"}}; break;
        case Lane::Kind::kProcess: l = ProcessLane(lane, color++); break;
      }
      out.push_back(l);
    }
    return out;
  }

  json ProcessLane(const Lane& lane, int color) {
    const ProcessRecord& rec = lanes_.records()[lane.record];
    std::string name;
    if (auto it = run_.names.find(rec.id); it != run_.names.end()) name = it->second;
    if (name.empty()) name = rec.actor;
    json l = {{"kind", "proc"},       {"id", rec.id},     {"pid", rec.pid},
              {"name", name},         {"comm", rec.name}, {"argv", Join(rec.argv)},
              {"depth", lane.depth},  {"color", color},   {"start", rec.start_us},
              {"ev", rec.first_event}};
    if (rec.end_us) l["end"] = *rec.end_us;
    if (rec.reaped_us) l["reap"] = *rec.reaped_us;
    if (rec.exit) l["exit"] = ExitText(*rec.exit);
    if (rec.threads) l["threads"] = rec.threads;
    if (rec.killed_by_lab) l["killed"] = *rec.killed_by_lab;
    // Stopped spans: from a stop to the next continue (or the exit).
    json stopped = json::array();
    int64_t since = -1;  // -1: not stopped (std::optional trips GCC 12's maybe-uninitialized)
    const auto& events = t_.events();
    for (size_t i = rec.first_event; i < events.size() && i <= rec.last_event; ++i) {
      const Event& e = events[i];
      if (e.pid != rec.pid) continue;
      if (e.type == EventType::kStop && since < 0) since = e.t_us;
      if ((e.type == EventType::kContinue || e.type == EventType::kExit) && since >= 0) {
        stopped.push_back({since, e.t_us});
        since = -1;
      }
    }
    if (since >= 0) stopped.push_back({since, rec.end_us.value_or(End())});
    l["stopped"] = stopped;
    if (json busy = CpuShading(rec); !busy.empty()) l["busy"] = std::move(busy);
    return l;
  }

  // [from, to, CPUs busy] between the process's CPU samples (`sample:`,
  // --sample): its birth counts as 0, its exit figures close the last span.
  // Only samples while it held its pid count, so a reused pid starts anew.
  json CpuShading(const ProcessRecord& rec) {
    json out = json::array();
    int64_t t0 = rec.start_us, cpu0 = 0;
    auto span = [&](int64_t t, int64_t cpu) {
      if (t <= t0) return;
      out.push_back({t0, t, std::max<double>(0, double(cpu - cpu0) / double(t - t0))});
      t0 = t;
      cpu0 = cpu;
    };
    bool sampled = false;
    const auto& events = t_.events();
    for (size_t i = rec.first_event; i < events.size() && i <= rec.last_event; ++i) {
      if (events[i].type != EventType::kSample) continue;
      for (const CpuReading& r : events[i].cpu)
        if (r.pid == rec.pid) {
          span(events[i].t_us, r.cpu_us);
          sampled = true;
        }
    }
    if (sampled && rec.end_us && rec.usage) span(*rec.end_us, rec.usage->cpu_us());
    return out;
  }

  void Mark(int64_t t, const char* kind, int lane, std::string text, std::vector<size_t> ev,
            int to = -1, const std::string& cls = "", std::optional<int64_t> t2 = {}) {
    // An event of a process the run never saw born (outside the lab) goes
    // on the lab's lane rather than nowhere.
    if (lane < 0 && std::string_view(kind) != "cp") lane = lanes_.lab();
    json m = {{"t", t}, {"k", kind}, {"l", lane}, {"x", std::move(text)}, {"e", std::move(ev)}};
    if (to >= 0) m["to"] = to;
    if (!cls.empty()) m["c"] = cls;
    if (t2) m["t2"] = *t2;
    marks_.push_back(std::move(m));
  }

  [[nodiscard]] std::string Who(const Party& p, size_t i) const {
    const int lane = lanes_.OfParty(p, i);
    if (p.kind != Party::kProcess || lane < 0 || lanes_.lanes()[lane].record < 0)
      return p.ToString();
    return Label(lanes_.records()[lanes_.lanes()[lane].record]);
  }

  [[nodiscard]] std::string Label(const ProcessRecord& rec) const {
    std::string name;
    if (auto it = run_.names.find(rec.id); it != run_.names.end()) name = it->second;
    if (name.empty()) name = rec.actor;
    if (name.empty()) name = rec.name;
    return fmt::format("{} (pid {})", name, rec.pid);
  }

  [[nodiscard]] std::string WhoPid(pid_t pid, size_t i) const {
    return Who(Party::Process(pid), i);
  }

  void Marks() {
    const auto& events = t_.events();
    // A delivery's arrow starts at the latest earlier send of its signal by
    // its sender, when that send could have reached it.
    std::map<std::tuple<int, int, pid_t>, size_t> last_send;  // (sig, party kind, pid)
    std::vector<bool> send_drawn(events.size(), false);
    for (size_t i = 0; i < events.size(); ++i) {
      const Event& e = events[i];
      const int lane = lanes_.OfProcess(e.pid, i);
      const std::string at = fmt::format("{}s", FormatSeconds(e.t_us));
      switch (e.type) {
        case EventType::kSpawn:
          Mark(e.t_us, "spawn", lanes_.lab(),
               fmt::format("{}: the lab started {}", at, Join(e.argv)), {i}, lane);
          break;
        case EventType::kFork:
          if (e.thread)
            Mark(e.t_us, "thread", lanes_.OfProcess(e.parent, i),
                 fmt::format("{}: {} created thread {}", at, WhoPid(e.parent, i), e.pid), {i});
          else
            Mark(e.t_us, "fork", lanes_.OfProcess(e.parent, i),
                 fmt::format("{}: {} {} pid {}", at, WhoPid(e.parent, i),
                             e.via.empty() ? "fork" : e.via, e.pid),
                 {i}, lane);
          break;
        case EventType::kExec:
          Mark(e.t_us, "exec", lane, fmt::format("{}: exec {}", at, Join(e.argv)), {i});
          break;
        case EventType::kSignalSent:
          if (e.error.empty()) last_send[{e.sig, e.from.kind, e.from.pid}] = i;
          if (!e.error.empty()) {
            Mark(e.t_us, "sigfail", lanes_.OfParty(e.from, i),
                 fmt::format("{}: {} sent {} to {} — failed: {}", at, Who(e.from, i),
                             SignalName(e.sig), Target(e, i), e.error),
                 {i}, -1, "failed");
            send_drawn[i] = true;
          }
          break;
        case EventType::kSignalDelivered: {
          std::optional<size_t> send;
          if (auto it = last_send.find({e.sig, e.from.kind, e.from.pid}); it != last_send.end()) {
            const Event& s = events[it->second];
            if (s.to == e.pid || s.to_group || s.to_all) send = it->second;
          }
          std::vector<size_t> ev{i};
          int64_t from_t = e.t_us;
          if (send) {
            ev.insert(ev.begin(), *send);
            from_t = events[*send].t_us;
            send_drawn[*send] = true;
          }
          Mark(from_t, "sig", lanes_.OfParty(e.from, i),
               fmt::format("{}: {} → {}: {} {}", at, Who(e.from, i), WhoPid(e.pid, i),
                           SignalName(e.sig), OutcomeName(e.outcome)),
               ev, lane, std::string(OutcomeName(e.outcome)), e.t_us);
          break;
        }
        case EventType::kStop:
          Mark(e.t_us, "stop", lane, fmt::format("{}: stopped by {}", at, SignalName(e.sig)), {i});
          break;
        case EventType::kContinue:
          Mark(e.t_us, "cont", lane, fmt::format("{}: continued", at), {i});
          break;
        case EventType::kOutput: {
          const std::string stream(StreamName(e.stream));
          Mark(e.t_us, "out", lane, fmt::format("{} {}: {}", at, stream, QuoteOutput(e.text, 200)),
               {i}, -1, stream);
          output_.push_back({{"t", e.t_us}, {"l", lane}, {"s", stream}, {"x", e.text}, {"e", i}});
          break;
        }
        case EventType::kExit: {
          ExitStatus x{e.signaled, e.code, e.sig, e.core};
          Mark(e.t_us, "exit", lane, fmt::format("{}: {} {}", at, WhoPid(e.pid, i), x.Describe()),
               {i}, -1, e.signaled ? "signal" : (e.code == 0 ? "ok" : "code"));
          break;
        }
        case EventType::kReap:
          Mark(e.t_us, "reap", lanes_.OfParty(e.by, i),
               fmt::format("{}: {} reaped {}", at, Who(e.by, i), WhoPid(e.pid, i)), {i}, lane);
          break;
        case EventType::kReparent:
          Mark(e.t_us, "adopt", lane,
               fmt::format("{}: {} adopted by {}", at, WhoPid(e.pid, i), WhoPid(e.new_parent, i)),
               {i}, lanes_.OfProcess(e.new_parent, i));
          break;
        case EventType::kCheckpoint:
          Mark(e.t_us, "cp", -1,
               fmt::format("{}: checkpoint '{}'{}", at, e.name, Snapshot(e.processes)), {i});
          break;
        case EventType::kLimit:
          Mark(e.t_us, "limit", e.pid && lane >= 0 ? lane : lanes_.lab(),
               fmt::format("{}: limit {}{}{}", at, e.kind, e.detail.empty() ? "" : ": ", e.detail) +
                   (e.kind == "timeout" ? Snapshot(e.processes) : ""),
               {i});
          break;
        case EventType::kKilledByLab:
          Mark(e.t_us, "labkill", lanes_.lab(),
               fmt::format("{}: the lab killed {}{}", at, WhoPid(e.pid, i),
                           e.detail.empty() ? "" : ": " + e.detail),
               {i}, lane);
          break;
        case EventType::kActor: break;   // the lane's label says it
        case EventType::kValue: break;   // measured values are in the verdicts
        case EventType::kSample: break;  // lanes are shaded from them (CpuShading)
      }
    }
    // Sends that no delivery answered (blocked, or the receiver ended first).
    for (size_t i = 0; i < events.size(); ++i) {
      const Event& e = events[i];
      if (e.type != EventType::kSignalSent || send_drawn[i]) continue;
      Mark(e.t_us, "send", lanes_.OfParty(e.from, i),
           fmt::format("{}s: {} sent {} to {}: never delivered", FormatSeconds(e.t_us),
                       Who(e.from, i), SignalName(e.sig), Target(e, i)),
           {i});
    }
    for (const StepResult& s : t_.steps) {
      const bool key = s.text.starts_with("key ");
      const std::string what = s.text.empty() ? fmt::format("step {}", s.index + 1) : s.text;
      Mark(s.t_us, key ? "key" : "step", key && lanes_.tty() >= 0 ? lanes_.tty() : lanes_.lab(),
           fmt::format("{}s: step {}: {}{}{}", FormatSeconds(s.t_us), s.index + 1, what,
                       s.ok ? "" : " — " + s.message, s.note.empty() ? "" : " (" + s.note + ")"),
           {}, -1, s.ok ? "ok" : "failed");
    }
  }

  [[nodiscard]] std::string Target(const Event& e, size_t i) const {
    if (e.to_all) return "every process (kill -1)";
    if (e.to_group) return fmt::format("process group {}", e.to_group);
    return WhoPid(e.to, i);
  }

  const PageRun& run_;
  const Timeline& t_;
  Lanes lanes_;
  json marks_ = json::array();
  json output_ = json::array();
};

}  // namespace

json PageModel(const PageRun& run) { return Builder(run, *run.timeline).Build(); }

}  // namespace proclab::html
