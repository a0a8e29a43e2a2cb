#include "reports/trace_events.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "runner/base/signal_names.h"
#include "runner/timeline/describe.h"

namespace proclab {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A run's tracks: one per process record, then one per party that is not a
// process of the run, created as first needed.
class Tracks {
 public:
  Tracks(const Timeline& t, std::vector<ProcessRecord> records)
      : t_(t), records_(std::move(records)) {}

  [[nodiscard]] const std::vector<ProcessRecord>& records() const { return records_; }

  // The record that held `pid` at event index `i`.
  [[nodiscard]] const ProcessRecord* Holder(pid_t pid, size_t i) const {
    const ProcessRecord* best = nullptr;
    for (const auto& r : records_) {
      if (r.Holds(pid, i)) return &r;
      if (r.pid == pid && r.first_event <= i) best = &r;
    }
    return best;
  }

  // The track of a party at event index `i`: its process's, or a party track.
  int TrackOf(const Party& p, size_t i) {
    if (p.kind == Party::kProcess) {
      if (const ProcessRecord* r = Holder(p.pid, i)) return r->id;
      return PartyTrack(p.pid == t_.lab.pid ? fmt::format("lab (pid {})", p.pid)
                                            : fmt::format("pid {} (outside the run)", p.pid));
    }
    return PartyTrack(p.ToString());
  }

  int PartyTrack(const std::string& name) {
    auto [it, fresh] = parties_.emplace(name, 0);
    if (fresh) it->second = static_cast<int>(records_.size() + parties_.size());
    return it->second;
  }
  [[nodiscard]] const std::map<std::string, int>& parties() const { return parties_; }

 private:
  const Timeline& t_;
  std::vector<ProcessRecord> records_;
  std::map<std::string, int> parties_;  // name -> tid
};

std::string Label(const ProcessRecord& r) {
  std::string label = fmt::format("{} {}", r.pid, r.name.empty() ? "?" : r.name);
  if (!r.actor.empty()) label += fmt::format(" [{}]", r.actor);
  return label;
}

std::string ShortText(const std::string& s) {
  std::string out = s.size() > 60 ? s.substr(0, 60) + "…" : s;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

void TraceEventWriter::Emit(const std::string& json_object) {
  write_(first_ ? "\n" : ",\n");
  first_ = false;
  write_(json_object);
}

void TraceEventWriter::Begin() { write_("{\"displayTimeUnit\": \"ms\", \"traceEvents\": ["); }

void TraceEventWriter::End() { write_("\n], \"otherData\": {\"producer\": \"proclab\"}}\n"); }

void TraceEventWriter::AddRun(const Timeline& t, int group, const std::string& label) {
  Tracks tracks(t, t.Processes());
  const auto& events = t.events();
  int64_t end = t.summary.end_us;
  if (!events.empty()) end = std::max(end, events.back().t_us);
  const pid_t lab = t.lab.pid;
  auto meta = [&](const char* name, int tid, const json& args) {
    json j = {{"ph", "M"}, {"name", name}, {"pid", group}, {"args", args}};
    if (tid >= 0) j["tid"] = tid;
    Emit(Dump(j));
  };
  meta("process_name", -1, {{"name", label}});
  meta("process_sort_index", -1, {{"sort_index", group}});
  auto slice = [&](int tid, const std::string& name, const char* cat, int64_t from, int64_t to,
                   json args) {
    json j = {{"ph", "X"},
              {"name", name},
              {"cat", cat},
              {"pid", group},
              {"tid", tid},
              {"ts", from},
              {"dur", std::max<int64_t>(to - from, 0)}};
    if (!args.is_null()) j["args"] = std::move(args);
    Emit(Dump(j));
  };
  auto instant = [&](int tid, const std::string& name, const char* cat, int64_t ts, json args) {
    json j = {{"ph", "i"},    {"s", "t"},   {"name", name}, {"cat", cat},
              {"pid", group}, {"tid", tid}, {"ts", ts}};
    if (!args.is_null()) j["args"] = std::move(args);
    Emit(Dump(j));
  };
  auto flow = [&](const char* cat, const std::string& name, int from_tid, int64_t from_ts,
                  int to_tid, int64_t to_ts) {
    const int64_t id = next_flow_++;
    Emit(Dump({{"ph", "s"},
               {"id", id},
               {"name", name},
               {"cat", cat},
               {"pid", group},
               {"tid", from_tid},
               {"ts", from_ts}}));
    Emit(Dump({{"ph", "f"},
               {"bp", "e"},
               {"id", id},
               {"name", name},
               {"cat", cat},
               {"pid", group},
               {"tid", to_tid},
               {"ts", to_ts}}));
  };

  // Lifetimes.
  for (const auto& r : tracks.records()) {
    meta("thread_name", r.id, {{"name", Label(r)}});
    meta("thread_sort_index", r.id, {{"sort_index", r.id}});
    json args = {{"pid", r.pid}, {"ppid", r.ppid}, {"argv", r.argv}};
    if (r.exit) args["exit"] = r.exit->Describe();
    if (r.reaped_by) args["reaped_by"] = PartyText(*r.reaped_by, lab);
    if (!r.adoptions.empty()) args["adopted_by"] = r.adoptions.back().second;
    if (r.killed_by_lab) args["killed_by_lab"] = *r.killed_by_lab;
    if (r.threads) args["threads"] = r.threads;
    const int64_t died = r.end_us.value_or(end);
    slice(r.id, r.name.empty() ? "?" : r.name, "process", r.start_us, died, std::move(args));
    if (r.end_us) slice(r.id, "zombie", "zombie", *r.end_us, r.reaped_us.value_or(end), nullptr);
  }
  // Stops, as slices inside the lifetime: from a group-stop to the next
  // continue (or the exit, or the end).
  std::map<int, int64_t> stopped;  // tid -> since
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.type != EventType::kStop && e.type != EventType::kContinue && e.type != EventType::kExit)
      continue;
    const ProcessRecord* r = tracks.Holder(e.pid, i);
    if (!r) continue;
    if (e.type == EventType::kStop) {
      stopped.emplace(r->id, e.t_us);
    } else if (auto it = stopped.find(r->id); it != stopped.end()) {
      slice(r->id, "stopped", "stopped", it->second, e.t_us, nullptr);
      stopped.erase(it);
    }
  }
  for (const auto& [tid, since] : stopped) slice(tid, "stopped", "stopped", since, end, nullptr);

  // Sends not yet delivered, to draw each delivery's arrow from its send:
  // (sender's track, receiver pid, signal) -> times sent.
  std::map<std::tuple<std::string, pid_t, int>, std::vector<int64_t>> sent;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    const ProcessRecord* r = tracks.Holder(e.pid, i);
    // The subject's track; events without one (sends, checkpoints, limits)
    // place themselves.
    const int tid = r ? r->id : e.pid > 0 ? tracks.TrackOf(Party::Process(e.pid), i) : 0;
    switch (e.type) {
      case EventType::kFork: {
        if (e.thread) {
          if (const ProcessRecord* p = tracks.Holder(e.parent, i))
            instant(p->id, "thread", "thread", e.t_us, {{"tid", e.pid}});
          break;
        }
        const int parent = tracks.TrackOf(Party::Process(e.parent), i);
        flow("fork", e.via.empty() ? "fork" : e.via, parent, e.t_us, tid, e.t_us);
        break;
      }
      case EventType::kExec:
        instant(tid, "exec " + (e.argv.empty() ? std::string("?") : e.argv[0]), "exec", e.t_us,
                {{"argv", e.argv}});
        break;
      case EventType::kExit: {
        ExitStatus st{e.signaled, e.code, e.sig, e.core};
        instant(tid, st.Describe(), "exit", e.t_us, nullptr);
        break;
      }
      case EventType::kReap:
        instant(tid, "reaped by " + PartyText(e.by, lab), "reap", e.t_us, nullptr);
        if (e.by.kind == Party::kProcess) {
          const int reaper = tracks.TrackOf(e.by, i);
          instant(reaper, fmt::format("reaps {}", e.pid), "reap", e.t_us, nullptr);
        }
        break;
      case EventType::kReparent:
        instant(tid, fmt::format("adopted by {}", e.new_parent), "reparent", e.t_us, nullptr);
        break;
      case EventType::kOutput:
        instant(tid, fmt::format("{}: {}", StreamName(e.stream), ShortText(e.text)), "output",
                e.t_us, {{"text", e.text}});
        break;
      case EventType::kKilledByLab:
        instant(tid, "killed by the lab", "lab", e.t_us, {{"reason", e.detail}});
        break;
      case EventType::kValue:
        instant(tid, fmt::format("{} = {}", e.name, e.value), "value", e.t_us,
                {{"name", e.name}, {"value", e.value}});
        break;
      case EventType::kSignalSent: {
        const int from = tracks.TrackOf(e.from, i);
        std::string target = e.to_all     ? std::string("all")
                             : e.to_group ? fmt::format("group {}", e.to_group)
                                          : std::to_string(e.to);
        json args = {{"via", e.via}};
        if (!e.error.empty()) args["error"] = e.error;
        instant(from,
                fmt::format("sends {} → {}{}", SignalName(e.sig), target,
                            e.error.empty() ? "" : " (failed: " + e.error + ")"),
                "signal", e.t_us, std::move(args));
        if (e.error.empty() && e.to && !e.to_group && !e.to_all)
          sent[{e.from.ToString(), e.to, e.sig}].push_back(e.t_us);
        break;
      }
      case EventType::kSignalDelivered: {
        const std::string name = fmt::format("{} {}", SignalName(e.sig), OutcomeName(e.outcome));
        instant(tid, name, "signal", e.t_us, {{"from", PartyText(e.from, lab)}});
        const int from = tracks.TrackOf(e.from, i);
        int64_t when = e.t_us;
        if (auto it = sent.find({e.from.ToString(), e.pid, e.sig});
            it != sent.end() && !it->second.empty()) {
          when = it->second.front();
          it->second.erase(it->second.begin());
        }
        flow("signal", name, from, when, tid, e.t_us);
        break;
      }
      case EventType::kCheckpoint:
        Emit(Dump({{"ph", "i"},
                   {"s", "p"},
                   {"name", "checkpoint " + e.name},
                   {"cat", "checkpoint"},
                   {"pid", group},
                   {"tid", 0},
                   {"ts", e.t_us}}));
        break;
      case EventType::kLimit:
        instant(tracks.PartyTrack("lab"), "limit: " + e.kind, "lab", e.t_us,
                {{"detail", e.detail}});
        break;
      default: break;
    }
  }
  // The parties' tracks, with one slice over the run for arrows to leave from.
  for (const auto& [name, tid] : tracks.parties()) {
    meta("thread_name", tid, {{"name", name}});
    meta("thread_sort_index", tid, {{"sort_index", -1000 + tid}});
    slice(tid, name, "party", 0, end, nullptr);
  }
}

}  // namespace proclab
