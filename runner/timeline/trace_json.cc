#include "runner/timeline/trace_json.h"

#include <fmt/format.h>

#include "runner/base/signal_names.h"

namespace proclab {
namespace {

using nlohmann::json;

json PartyToJson(const Party& p) {
  if (p.kind == Party::kProcess) return p.pid;
  return p.ToString();
}

Party PartyFromJson(const json& j) {
  if (j.is_number_integer()) return Party::Process(j.get<pid_t>());
  std::string s = j.is_string() ? j.get<std::string>() : "";
  if (s == "kernel") return Party::Kernel();
  if (s == "tty") return Party::Tty();
  if (s == "lab") return Party::Lab();
  return Party{};
}

json SignalToJson(int sig) { return SignalName(sig); }

int SignalFromJson(const json& j) {
  if (j.is_number_integer()) return j.get<int>();
  if (j.is_string()) return ParseSignal(j.get<std::string>()).value_or(0);
  return 0;
}

json LockToJson(const FileLock& l) {
  json j = {{"kind", l.kind}, {"mode", l.write ? "write" : "read"}, {"file", l.file}};
  if (!l.held_by.empty()) j["held_by"] = l.held_by;
  return j;
}

FileLock LockFromJson(const json& j) {
  FileLock l;
  l.kind = j.value("kind", "");
  l.write = j.value("mode", "write") != "read";
  l.file = j.value("file", "");
  l.held_by = j.value("held_by", std::vector<pid_t>{});
  return l;
}

// The keys after `name` exist only in a timeout's snapshot, and only when
// /proc told something: a checkpoint's snapshot is as it always was.
json SnapshotToJson(const ProcessSnapshot& s) {
  json j = {{"pid", s.pid},
            {"ppid", s.ppid},
            {"pgid", s.pgid},
            {"sid", s.sid},
            {"state", std::string(1, s.state)},
            {"nice", s.nice},
            {"threads", s.threads},
            {"cpu_us", s.cpu_us},
            {"name", s.name}};
  if (s.last_event_us >= 0) j["last_event_us"] = s.last_event_us;
  if (!s.syscall.empty()) j["syscall"] = s.syscall;
  if (!s.wchan.empty()) j["wchan"] = s.wchan;
  if (s.fd >= 0) j["fd"] = s.fd;
  if (!s.file.empty()) j["file"] = s.file;
  if (!s.pipe_writers.empty()) j["pipe_writers"] = s.pipe_writers;
  if (!s.locks.empty()) {
    json locks = json::array();
    for (const auto& l : s.locks) locks.push_back(LockToJson(l));
    j["locks"] = locks;
  }
  if (s.lock_wait) j["lock_wait"] = LockToJson(*s.lock_wait);
  return j;
}

ProcessSnapshot SnapshotFromJson(const json& j) {
  ProcessSnapshot s;
  s.pid = j.value("pid", 0);
  s.ppid = j.value("ppid", 0);
  s.pgid = j.value("pgid", 0);
  s.sid = j.value("sid", 0);
  std::string state = j.value("state", "?");
  s.state = state.empty() ? '?' : state[0];
  s.nice = j.value("nice", 0);
  s.threads = j.value("threads", 0);
  s.cpu_us = j.value("cpu_us", int64_t{0});
  s.name = j.value("name", "");
  s.last_event_us = j.value("last_event_us", int64_t{-1});
  s.syscall = j.value("syscall", "");
  s.wchan = j.value("wchan", "");
  s.fd = j.value("fd", -1);
  s.file = j.value("file", "");
  s.pipe_writers = j.value("pipe_writers", std::vector<pid_t>{});
  for (const auto& l : j.value("locks", json::array())) s.locks.push_back(LockFromJson(l));
  if (j.contains("lock_wait")) s.lock_wait = LockFromJson(j["lock_wait"]);
  return s;
}

}  // namespace

json EventToJson(const Event& e) {
  json j = {{"t_us", e.t_us}, {"type", EventTypeName(e.type)}};
  switch (e.type) {
    case EventType::kSpawn:
      j["pid"] = e.pid;
      j["ppid"] = e.ppid;
      j["argv"] = e.argv;
      if (!e.name.empty()) j["name"] = e.name;
      break;
    case EventType::kExec:
      j["pid"] = e.pid;
      j["argv"] = e.argv;
      if (!e.name.empty()) j["name"] = e.name;
      break;
    case EventType::kFork:
      j["pid"] = e.pid;
      j["parent"] = e.parent;
      j["thread"] = e.thread;
      if (!e.via.empty()) j["via"] = e.via;
      break;
    case EventType::kSignalSent:
      j["sig"] = SignalToJson(e.sig);
      j["from"] = PartyToJson(e.from);
      if (e.to_all)
        j["to"] = "all";
      else if (e.to_group)
        j["group"] = e.to_group;
      else
        j["to"] = e.to;
      if (!e.via.empty()) j["via"] = e.via;
      if (!e.error.empty()) j["error"] = e.error;
      break;
    case EventType::kSignalDelivered:
      j["sig"] = SignalToJson(e.sig);
      j["pid"] = e.pid;
      j["from"] = PartyToJson(e.from);
      j["outcome"] = OutcomeName(e.outcome);
      break;
    case EventType::kStop:
      j["pid"] = e.pid;
      j["sig"] = SignalToJson(e.sig);
      break;
    case EventType::kContinue: j["pid"] = e.pid; break;
    case EventType::kOutput:
      j["pid"] = e.pid;
      j["stream"] = StreamName(e.stream);
      // Any bytes; dump() with error_handler_t::replace keeps the JSON valid UTF-8.
      j["text"] = e.text;
      break;
    case EventType::kExit:
      j["pid"] = e.pid;
      if (e.signaled) {
        j["signal"] = SignalToJson(e.sig);
        j["core"] = e.core;
      } else {
        j["code"] = e.code;
      }
      break;
    case EventType::kReap:
      j["pid"] = e.pid;
      j["by"] = PartyToJson(e.by);
      break;
    case EventType::kReparent:
      j["pid"] = e.pid;
      j["from"] = PartyToJson(e.from);
      j["to"] = e.new_parent;
      break;
    case EventType::kCheckpoint: {
      j["name"] = e.name;
      json procs = json::array();
      for (const auto& s : e.processes) procs.push_back(SnapshotToJson(s));
      j["processes"] = procs;
      break;
    }
    case EventType::kLimit:
      j["kind"] = e.kind;
      if (e.pid) j["pid"] = e.pid;
      if (!e.detail.empty()) j["detail"] = e.detail;
      if (!e.processes.empty()) {
        json procs = json::array();
        for (const auto& s : e.processes) procs.push_back(SnapshotToJson(s));
        j["processes"] = procs;
      }
      break;
    case EventType::kKilledByLab:
      j["pid"] = e.pid;
      if (!e.detail.empty()) j["reason"] = e.detail;
      break;
    case EventType::kActor:
      j["pid"] = e.pid;
      j["name"] = e.name;
      break;
    case EventType::kValue:
      j["pid"] = e.pid;
      j["name"] = e.name;
      j["value"] = e.value;
      break;
    case EventType::kSample: break;  // its readings are `cpu`, below
  }
  if (e.usage) j["usage"] = UsageToJson(*e.usage);
  if (!e.cpu.empty()) j["cpu"] = CpuReadingsToJson(e.cpu);
  return j;
}

Result<Event> EventFromJson(const json& j) {
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
    return Error("trace event without a type");
  auto type = ParseEventType(j["type"].get<std::string>());
  if (!type)
    return Error(fmt::format("unknown trace event type '{}'", j["type"].get<std::string>()));
  Event e;
  e.type = *type;
  try {
    e.t_us = j.value("t_us", int64_t{0});
    e.pid = j.value("pid", 0);
    switch (e.type) {
      case EventType::kSpawn:
        e.ppid = j.value("ppid", 0);
        e.argv = j.value("argv", std::vector<std::string>{});
        e.name = j.value("name", "");
        break;
      case EventType::kExec:
        e.argv = j.value("argv", std::vector<std::string>{});
        e.name = j.value("name", "");
        break;
      case EventType::kFork:
        e.parent = j.value("parent", 0);
        e.thread = j.value("thread", false);
        e.via = j.value("via", "");
        break;
      case EventType::kSignalSent:
        e.sig = SignalFromJson(j.value("sig", json()));
        e.from = PartyFromJson(j.value("from", json()));
        if (j.contains("group"))
          e.to_group = j["group"].get<pid_t>();
        else if (j.value("to", json()) == "all")
          e.to_all = true;
        else
          e.to = j.value("to", 0);
        e.via = j.value("via", "");
        e.error = j.value("error", "");
        break;
      case EventType::kSignalDelivered:
        e.sig = SignalFromJson(j.value("sig", json()));
        e.from = PartyFromJson(j.value("from", json()));
        e.outcome = ParseOutcome(j.value("outcome", "none")).value_or(Outcome::kNone);
        break;
      case EventType::kStop: e.sig = SignalFromJson(j.value("sig", json())); break;
      case EventType::kContinue: break;
      case EventType::kOutput:
        e.stream = j.value("stream", "stdout") == "stderr" ? Stream::kStderr : Stream::kStdout;
        e.text = j.value("text", "");
        break;
      case EventType::kExit:
        if (j.contains("signal")) {
          e.signaled = true;
          e.sig = SignalFromJson(j["signal"]);
          e.core = j.value("core", false);
        } else {
          e.code = j.value("code", 0);
        }
        break;
      case EventType::kReap: e.by = PartyFromJson(j.value("by", json())); break;
      case EventType::kReparent:
        e.from = PartyFromJson(j.value("from", json()));
        e.new_parent = j.value("to", 0);
        break;
      case EventType::kCheckpoint:
        e.name = j.value("name", "");
        for (const auto& s : j.value("processes", json::array()))
          e.processes.push_back(SnapshotFromJson(s));
        break;
      case EventType::kLimit:
        e.kind = j.value("kind", "");
        e.detail = j.value("detail", "");
        for (const auto& s : j.value("processes", json::array()))
          e.processes.push_back(SnapshotFromJson(s));
        break;
      case EventType::kKilledByLab: e.detail = j.value("reason", ""); break;
      case EventType::kActor: e.name = j.value("name", ""); break;
      case EventType::kValue:
        e.name = j.value("name", "");
        e.value = j.value("value", 0.0);
        break;
      case EventType::kSample: break;
    }
    if (j.contains("usage") && j["usage"].is_object())
      e.usage = std::make_shared<const Usage>(UsageFromJson(j["usage"]));
    if (j.contains("cpu")) e.cpu = CpuReadingsFromJson(j["cpu"]);
  } catch (const json::exception& ex) {
    return Error(fmt::format("malformed trace event: {}", ex.what()));
  }
  return e;
}

json ProcessToJson(const ProcessRecord& p) {
  json j = {{"id", p.id},     {"pid", p.pid},   {"ppid", p.ppid},
            {"name", p.name}, {"argv", p.argv}, {"start_us", p.start_us}};
  if (p.end_us) j["end_us"] = *p.end_us;
  if (p.exit) {
    if (p.exit->signaled)
      j["exit"] = {{"signal", SignalName(p.exit->sig)}, {"core", p.exit->core}};
    else
      j["exit"] = {{"code", p.exit->code}};
  }
  if (p.reaped_by) j["reaped_by"] = PartyToJson(*p.reaped_by);
  if (!p.adoptions.empty()) j["adopted_by"] = p.adoptions.back().second;
  if (p.killed_by_lab) j["killed_by_lab"] = *p.killed_by_lab;
  if (p.threads) j["threads"] = p.threads;
  if (!p.actor.empty()) j["actor"] = p.actor;
  if (p.usage) j["usage"] = UsageToJson(*p.usage);
  return j;
}

json StepResultToJson(const StepResult& s) {
  json j = {{"index", s.index}, {"ok", s.ok}, {"t_us", s.t_us}};
  if (!s.message.empty()) j["message"] = s.message;
  if (!s.note.empty()) j["note"] = s.note;
  if (!s.text.empty()) j["text"] = s.text;
  return j;
}

StepResult StepResultFromJson(const json& j) {
  StepResult s;
  s.index = j.value("index", 0);
  s.ok = j.value("ok", true);
  s.t_us = j.value("t_us", int64_t{0});
  s.message = j.value("message", "");
  s.note = j.value("note", "");
  s.text = j.value("text", "");
  return s;
}

json SummaryToJson(const RunSummary& s) {
  json j = {{"end_us", s.end_us},
            {"output_dropped", {{"stdout", s.output_dropped[0]}, {"stderr", s.output_dropped[1]}}},
            {"output_unattributed",
             {{"stdout", s.output_unattributed[0]}, {"stderr", s.output_unattributed[1]}}},
            {"forks_refused", s.forks_refused}};
  if (s.threads_refused > 0) j["threads_refused"] = s.threads_refused;
  if (s.events_dropped > 0) j["events_dropped"] = s.events_dropped;
  if (!s.lab_error.empty()) j["lab_error"] = s.lab_error;
  if (s.cpu_us >= 0) j["cpu_us"] = s.cpu_us;
  if (s.cgroup_cpu_us >= 0) j["cgroup_cpu_us"] = s.cgroup_cpu_us;
  return j;
}

RunSummary SummaryFromJson(const json& j) {
  RunSummary s;
  s.end_us = j.value("end_us", int64_t{0});
  const json dropped = j.value("output_dropped", json::object());
  s.output_dropped[0] = dropped.value("stdout", int64_t{0});
  s.output_dropped[1] = dropped.value("stderr", int64_t{0});
  const json unattributed = j.value("output_unattributed", json::object());
  s.output_unattributed[0] = unattributed.value("stdout", int64_t{0});
  s.output_unattributed[1] = unattributed.value("stderr", int64_t{0});
  s.forks_refused = j.value("forks_refused", 0);
  s.threads_refused = j.value("threads_refused", 0);
  s.events_dropped = j.value("events_dropped", int64_t{0});
  s.lab_error = j.value("lab_error", "");
  s.cpu_us = j.value("cpu_us", int64_t{-1});
  s.cgroup_cpu_us = j.value("cgroup_cpu_us", int64_t{-1});
  return s;
}

json LabInfoToJson(const LabInfo& lab) {
  json j = {{"pid", lab.pid}, {"pid_namespace", lab.pid_namespace}};
  if (lab.user_namespace) j["user_namespace"] = true;
  if (!lab.note.empty()) j["note"] = lab.note;
  if (lab.uid >= 0) j["uid"] = lab.uid;
  if (!lab.cgroup.empty()) j["cgroup"] = lab.cgroup;
  if (!lab.network.empty()) j["network"] = lab.network;
  if (!lab.cpus.empty()) j["cpus"] = lab.cpus;
  if (!lab.pinned_by.empty()) j["pinned_by"] = lab.pinned_by;
  return j;
}

LabInfo LabInfoFromJson(const json& j) {
  LabInfo lab;
  lab.pid = j.value("pid", 0);
  lab.pid_namespace = j.value("pid_namespace", false);
  lab.user_namespace = j.value("user_namespace", false);
  lab.note = j.value("note", "");
  lab.uid = j.value("uid", -1);
  lab.cgroup = j.value("cgroup", "");
  lab.network = j.value("network", "");
  lab.cpus = j.value("cpus", std::vector<int>{});
  lab.pinned_by = j.value("pinned_by", "");
  return lab;
}

Result<Timeline> TimelineFromJsonUnchecked(const json& j);

namespace {

// Everything but the two long arrays, which `fill` supplies.
json Envelope(const Timeline& t, const std::function<json(std::string_view)>& fill) {
  json j;
  j["proclab_trace"] = 1;
  j["command"] = t.command;
  j["lab"] = LabInfoToJson(t.lab);
  j["main_pid"] = t.main_pid;
  j["end_us"] = t.summary.end_us;
  if (!t.launch_error.empty()) {
    j["launch_error"] = t.launch_error;
    j["launch_not_found"] = t.launch_not_found;
  }
  j["summary"] = SummaryToJson(t.summary);
  if (!t.steps.empty()) {
    json steps = json::array();
    for (const auto& st : t.steps) steps.push_back(StepResultToJson(st));
    j["steps"] = steps;
  }
  if (!t.files.empty()) {
    json files = json::array();
    for (const auto& f : t.files) files.push_back(FileFactsToJson(f));
    j["files"] = files;
  }
  if (t.left_outside) j["left_outside"] = LeftOutsideToJson(*t.left_outside);
  j["processes"] = fill("processes");
  j["events"] = fill("events");
  return j;
}

// A stand-in no trace text can contain: dump() escapes control characters.
std::string Placeholder(std::string_view key) { return fmt::format("\x01{}\x01", key); }

}  // namespace

json TimelineToJson(const Timeline& t) {
  return Envelope(t, [&](std::string_view key) {
    json a = json::array();
    if (key == "processes")
      for (const auto& p : t.Processes()) a.push_back(ProcessToJson(p));
    else
      for (const auto& e : t.events()) a.push_back(EventToJson(e));
    return a;
  });
}

std::string DumpIndented(const json& j, int levels) {
  std::string text = j.dump(2, ' ', false, json::error_handler_t::replace);
  const std::string pad(static_cast<size_t>(levels) * 2, ' ');
  std::string out = pad;
  out.reserve(text.size() + pad.size());
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

void WriteTimelineJson(const Timeline& t, int levels,
                       const std::function<void(std::string_view)>& write) {
  std::string text =
      DumpIndented(Envelope(t, [](std::string_view k) { return Placeholder(k); }), levels);
  text.erase(0, static_cast<size_t>(levels) * 2);  // the caller's line has its indent
  const std::vector<ProcessRecord> procs = t.Processes();
  // Keys come out sorted, so "events" comes before "processes".
  size_t from = 0;
  for (std::string_view key : {"events", "processes"}) {
    const std::string quoted = json(Placeholder(key)).dump();
    const size_t at = text.find(quoted, from);
    const size_t line = text.rfind('\n', at) + 1;
    const int depth = static_cast<int>(text.find_first_not_of(' ', line) - line) / 2;
    write(std::string_view(text).substr(from, at - from));
    const size_t n = key == "events" ? t.events().size() : procs.size();
    if (n == 0) write("[]");
    for (size_t i = 0; i < n; ++i) {
      const json item = key == "events" ? EventToJson(t.events()[i]) : ProcessToJson(procs[i]);
      write(i == 0 ? "[\n" : ",\n");
      write(DumpIndented(item, depth + 1));
    }
    if (n > 0) write("\n" + std::string(static_cast<size_t>(depth) * 2, ' ') + "]");
    from = at + quoted.size();
  }
  write(std::string_view(text).substr(from));
}

Result<Timeline> TimelineFromJson(const json& j) {
  if (!j.is_object() || !j.contains("proclab_trace") || j["proclab_trace"] != 1)
    return Error("not a proclab trace (expected \"proclab_trace\": 1)");
  try {
    return TimelineFromJsonUnchecked(j);
  } catch (const json::exception& ex) {
    return Error(fmt::format("malformed proclab trace: {}", ex.what()));
  }
}

Result<Timeline> TimelineFromJsonUnchecked(const json& j) {
  Timeline t;
  t.command = j.value("command", std::vector<std::string>{});
  t.lab = LabInfoFromJson(j.value("lab", json::object()));
  t.main_pid = j.value("main_pid", 0);
  t.launch_error = j.value("launch_error", "");
  t.launch_not_found = j.value("launch_not_found", false);
  t.summary = SummaryFromJson(j.value("summary", json::object()));
  t.summary.end_us = j.value("end_us", t.summary.end_us);
  for (const auto& st : j.value("steps", json::array())) t.steps.push_back(StepResultFromJson(st));
  for (const auto& f : j.value("files", json::array())) t.files.push_back(FileFactsFromJson(f));
  if (j.contains("left_outside")) t.left_outside = LeftOutsideFromJson(j["left_outside"]);
  t.complete = true;
  for (const auto& ej : j.value("events", json::array())) {
    auto e = EventFromJson(ej);
    if (!e) return e.error();
    t.Add(std::move(*e));
  }
  return t;
}

}  // namespace proclab
