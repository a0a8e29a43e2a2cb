#include "runner/timeline/trace_json.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

namespace proclab {
namespace {

using nlohmann::json;

Event JsonEvent(int64_t t, EventType type, pid_t pid) {
  Event e;
  e.t_us = t;
  e.type = type;
  e.pid = pid;
  return e;
}

// Through text, as the lab's stream and trace files carry it.
Event RoundTrip(const Event& e) {
  std::string text = EventToJson(e).dump(-1, ' ', false, json::error_handler_t::replace);
  auto back = EventFromJson(json::parse(text));
  EXPECT_TRUE(back.ok()) << (back.ok() ? "" : back.error().message);
  return back.ok() ? *back : Event{};
}

// Everything a type carries survives the trip (the JSON forms agree) and the
// common fields are checked directly.
Event Check(const Event& e) {
  Event back = RoundTrip(e);
  EXPECT_EQ(EventToJson(back), EventToJson(e));
  EXPECT_EQ(back.type, e.type);
  EXPECT_EQ(back.t_us, e.t_us);
  EXPECT_EQ(back.pid, e.pid);
  return back;
}

TEST(TraceJson, SpawnExecFork) {
  Event s = JsonEvent(0, EventType::kSpawn, 2);
  s.ppid = 1;
  s.argv = {"python3", "orphan.py"};
  s.name = "python3";
  Event b = Check(s);
  EXPECT_EQ(b.ppid, 1);
  EXPECT_EQ(b.argv, s.argv);
  EXPECT_EQ(b.name, "python3");

  Event x = JsonEvent(1500, EventType::kExec, 2);
  x.argv = {"/bin/true", "with space"};
  x.name = "true";
  b = Check(x);
  EXPECT_EQ(b.argv, x.argv);
  EXPECT_EQ(b.name, "true");

  Event f = JsonEvent(31000, EventType::kFork, 3);
  f.parent = 2;
  f.thread = true;
  f.via = "clone";
  b = Check(f);
  EXPECT_EQ(b.parent, 2);
  EXPECT_TRUE(b.thread);
  EXPECT_EQ(b.via, "clone");
  f.thread = false;
  EXPECT_FALSE(Check(f).thread);
}

TEST(TraceJson, SignalSentTargetsAndParties) {
  Event e = JsonEvent(31200, EventType::kSignalSent, 0);
  e.sig = SIGUSR1;
  e.from = Party::Process(3);
  e.to = 2;
  e.via = "tgkill";
  json j = EventToJson(e);
  EXPECT_EQ(j["sig"], "SIGUSR1");
  EXPECT_EQ(j["from"], 3);
  EXPECT_EQ(j["to"], 2);
  Event b = Check(e);
  EXPECT_EQ(b.sig, SIGUSR1);
  EXPECT_EQ(b.from, Party::Process(3));
  EXPECT_EQ(b.to, 2);
  EXPECT_EQ(b.via, "tgkill");
  EXPECT_TRUE(!b.to_all && b.to_group == 0);

  Event g = e;
  g.to = 0;
  g.to_group = 7;
  g.from = Party::Tty();
  g.error = "EPERM";
  EXPECT_EQ(EventToJson(g)["from"], "tty");
  EXPECT_EQ(EventToJson(g)["group"], 7);
  b = Check(g);
  EXPECT_EQ(b.to_group, 7);
  EXPECT_EQ(b.to, 0);
  EXPECT_EQ(b.from, Party::Tty());
  EXPECT_EQ(b.error, "EPERM");

  Event a = e;
  a.to = 0;
  a.to_all = true;
  a.from = Party::Kernel();
  a.sig = SIGRTMIN + 2;
  EXPECT_EQ(EventToJson(a)["to"], "all");
  EXPECT_EQ(EventToJson(a)["sig"], "SIGRTMIN+2");
  b = Check(a);
  EXPECT_TRUE(b.to_all);
  EXPECT_EQ(b.from, Party::Kernel());
  EXPECT_EQ(b.sig, SIGRTMIN + 2);

  a.from = Party::Lab();
  EXPECT_EQ(EventToJson(a)["from"], "lab");
  EXPECT_EQ(Check(a).from, Party::Lab());
  a.from = Party{};
  EXPECT_EQ(Check(a).from.kind, Party::kUnknown);
}

TEST(TraceJson, SignalDeliveredStopContinue) {
  for (Outcome o : {Outcome::kHandled, Outcome::kIgnored, Outcome::kKilled, Outcome::kStopped,
                    Outcome::kContinued}) {
    Event e = JsonEvent(31250, EventType::kSignalDelivered, 2);
    e.sig = SIGUSR1;
    e.from = Party::Process(3);
    e.outcome = o;
    EXPECT_EQ(EventToJson(e)["outcome"], OutcomeName(o));
    Event b = Check(e);
    EXPECT_EQ(b.outcome, o);
    EXPECT_EQ(b.from, Party::Process(3));
    EXPECT_EQ(b.sig, SIGUSR1);
  }
  Event s = JsonEvent(40, EventType::kStop, 4);
  s.sig = SIGTSTP;
  EXPECT_EQ(Check(s).sig, SIGTSTP);
  Check(JsonEvent(41, EventType::kContinue, 4));
}

TEST(TraceJson, OutputExitReapReparent) {
  Event o = JsonEvent(31400, EventType::kOutput, 2);
  o.stream = Stream::kStderr;
  o.text = "hello \"world\"\n\t";
  Event b = Check(o);
  EXPECT_EQ(b.stream, Stream::kStderr);
  EXPECT_EQ(b.text, o.text);
  o.stream = Stream::kStdout;
  EXPECT_EQ(Check(o).stream, Stream::kStdout);

  Event x = JsonEvent(32000, EventType::kExit, 2);
  x.code = 3;
  json j = EventToJson(x);
  EXPECT_EQ(j["code"], 3);
  EXPECT_FALSE(j.contains("signal"));
  b = Check(x);
  EXPECT_FALSE(b.signaled);
  EXPECT_EQ(b.code, 3);

  Event k = JsonEvent(400000, EventType::kExit, 3);
  k.signaled = true;
  k.sig = SIGTERM;
  j = EventToJson(k);
  EXPECT_EQ(j["signal"], "SIGTERM");
  EXPECT_EQ(j["core"], false);
  EXPECT_FALSE(j.contains("code"));
  k.sig = SIGSEGV;
  k.core = true;
  b = Check(k);
  EXPECT_TRUE(b.signaled);
  EXPECT_EQ(b.sig, SIGSEGV);
  EXPECT_TRUE(b.core);

  Event r = JsonEvent(32100, EventType::kReap, 2);
  r.by = Party::Process(1);
  EXPECT_EQ(EventToJson(r)["by"], 1);
  EXPECT_EQ(Check(r).by, Party::Process(1));
  r.by = Party::Kernel();
  EXPECT_EQ(EventToJson(r)["by"], "kernel");
  EXPECT_EQ(Check(r).by, Party::Kernel());

  Event p = JsonEvent(32010, EventType::kReparent, 3);
  p.from = Party::Process(2);
  p.new_parent = 1;
  b = Check(p);
  EXPECT_EQ(b.from, Party::Process(2));
  EXPECT_EQ(b.new_parent, 1);
}

ProcessSnapshot Snapshot(pid_t pid, pid_t ppid, char state, int nice, int64_t cpu_us,
                         std::string name) {
  ProcessSnapshot s;
  s.pid = pid;
  s.ppid = ppid;
  s.pgid = 2;
  s.sid = 2;
  s.state = state;
  s.nice = nice;
  s.threads = 1;
  s.cpu_us = cpu_us;
  s.name = std::move(name);
  return s;
}

TEST(TraceJson, CheckpointLimitKilledByLab) {
  Event c = JsonEvent(500, EventType::kCheckpoint, 0);
  c.name = "after fork";
  c.processes = {Snapshot(2, 1, 'S', 0, 1200, "sh"), Snapshot(3, 2, 'Z', 5, 0, "sleep")};
  Event b = Check(c);
  EXPECT_EQ(b.name, "after fork");
  ASSERT_EQ(b.processes.size(), 2u);
  EXPECT_EQ(b.processes[1].pid, 3);
  EXPECT_EQ(b.processes[1].ppid, 2);
  EXPECT_EQ(b.processes[1].pgid, 2);
  EXPECT_EQ(b.processes[1].sid, 2);
  EXPECT_EQ(b.processes[1].state, 'Z');
  EXPECT_EQ(b.processes[1].nice, 5);
  EXPECT_EQ(b.processes[1].threads, 1);
  EXPECT_EQ(b.processes[0].cpu_us, 1200);
  EXPECT_EQ(b.processes[1].name, "sleep");

  Event l = JsonEvent(600, EventType::kLimit, 4);
  l.kind = "processes";
  l.detail = "256 live processes";
  b = Check(l);
  EXPECT_EQ(b.kind, "processes");
  EXPECT_EQ(b.detail, "256 live processes");
  l.pid = 0;  // a limit of the whole run names no process
  EXPECT_FALSE(EventToJson(l).contains("pid"));
  Check(l);

  Event k = JsonEvent(700, EventType::kKilledByLab, 5);
  k.detail = "timeout";
  EXPECT_EQ(EventToJson(k)["reason"], "timeout");
  EXPECT_EQ(Check(k).detail, "timeout");
}

// A value a Lua actor measured (lab.measure, lab.lock).
TEST(TraceJson, ValueEvent) {
  Event v = JsonEvent(800, EventType::kValue, 3);
  v.name = "lock_wait";
  v.value = 0.0125;
  const json j = EventToJson(v);
  EXPECT_EQ(j["type"], "value");
  EXPECT_EQ(j["name"], "lock_wait");
  EXPECT_DOUBLE_EQ(j["value"].get<double>(), 0.0125);
  Event b = Check(v);
  EXPECT_EQ(b.name, "lock_wait");
  EXPECT_DOUBLE_EQ(b.value, 0.0125);
}

// A timeout snapshots where each live process was stuck; a checkpoint's
// snapshot keeps the keys it always had.
TEST(TraceJson, TimeoutSnapshotOfStuckProcesses) {
  Event l = JsonEvent(5'000'000, EventType::kLimit, 0);
  l.kind = "timeout";
  l.detail = "the run passed its 5s timeout";
  ProcessSnapshot reader = Snapshot(3, 2, 'S', 0, 900, "python3");
  reader.last_event_us = 40'000;
  reader.syscall = "read";
  reader.wchan = "pipe_read";
  reader.fd = 0;
  reader.file = "pipe:[4711]";
  reader.pipe_writers = {2, 3};
  ProcessSnapshot locker = Snapshot(4, 2, 'S', 0, 800, "python3");
  locker.syscall = "flock";
  locker.locks = {FileLock{"flock", true, "/tmp/a", {}}};
  locker.lock_wait = FileLock{"flock", true, "/tmp/b", {5}};
  l.processes = {reader, locker};
  const json j = EventToJson(l);
  EXPECT_EQ(j["processes"][0]["syscall"], "read");
  EXPECT_EQ(j["processes"][0]["file"], "pipe:[4711]");
  EXPECT_EQ(j["processes"][1]["lock_wait"]["held_by"], json::array({5}));
  EXPECT_EQ(j["processes"][1]["locks"][0]["mode"], "write");
  const Event b = Check(l);
  ASSERT_EQ(b.processes.size(), 2u);
  EXPECT_EQ(b.processes[0].last_event_us, 40'000);
  EXPECT_EQ(b.processes[0].wchan, "pipe_read");
  EXPECT_EQ(b.processes[0].fd, 0);
  EXPECT_EQ(b.processes[0].pipe_writers, (std::vector<pid_t>{2, 3}));
  EXPECT_EQ(b.processes[1].locks, locker.locks);
  EXPECT_EQ(b.processes[1].lock_wait, locker.lock_wait);
  // Negative control: a checkpoint's snapshot has none of these keys, and a
  // limit without a snapshot has no "processes".
  Event c = JsonEvent(500, EventType::kCheckpoint, 0);
  c.processes = {Snapshot(2, 1, 'S', 0, 0, "sh")};
  for (const char* key : {"last_event_us", "syscall", "wchan", "fd", "file", "locks"})
    EXPECT_FALSE(EventToJson(c)["processes"][0].contains(key)) << key;
  l.processes.clear();
  EXPECT_FALSE(EventToJson(l).contains("processes"));
}

TEST(TraceJson, EventFromJsonRejects) {
  EXPECT_FALSE(EventFromJson(json::array()).ok());
  EXPECT_FALSE(EventFromJson(json{{"t_us", 1}}).ok());
  EXPECT_FALSE(EventFromJson(json{{"type", 3}}).ok());
  auto unknown = EventFromJson(json{{"type", "teleport"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("teleport"), std::string::npos);
  // Ill-typed fields are an Error, not an exception.
  EXPECT_FALSE(EventFromJson(json{{"type", "exit"}, {"pid", "x"}}).ok());
  // Negative control: the minimal well-formed event is accepted.
  EXPECT_TRUE(EventFromJson(json{{"type", "continue"}}).ok());
  // A signal written as a number is understood too.
  EXPECT_EQ(EventFromJson(json{{"type", "stop"}, {"sig", SIGTSTP}})->sig, SIGTSTP);
}

TEST(TraceJson, InvalidUtf8OutputStillDumps) {
  Event o = JsonEvent(1, EventType::kOutput, 2);
  o.text = "ok \xff\xfe end\n";
  json j = EventToJson(o);
  EXPECT_THROW((void)j.dump(), json::type_error);  // why the code dumps with replace
  std::string text;
  ASSERT_NO_THROW(text = j.dump(-1, ' ', false, json::error_handler_t::replace));
  EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
  Event b = RoundTrip(o);
  EXPECT_EQ(b.text.rfind("ok ", 0), 0u);
  EXPECT_NE(b.text.find(" end\n"), std::string::npos);
}

Timeline Sample() {
  Timeline t;
  t.command = {"python3", "orphan.py"};
  t.lab.pid = 1;
  t.lab.pid_namespace = true;
  t.main_pid = 2;
  t.summary.end_us = 512000;
  t.summary.output_dropped[1] = 9;
  t.summary.forks_refused = 2;
  Event s = JsonEvent(0, EventType::kSpawn, 2);
  s.ppid = 1;
  s.argv = t.command;
  s.name = "python3";
  t.Add(s);
  t.Add(JsonEvent(32000, EventType::kExit, 2));
  Event r = JsonEvent(32100, EventType::kReap, 2);
  r.by = Party::Process(1);
  t.Add(r);
  return t;
}

TEST(TraceJson, TimelineHasDesignKeys) {
  json j = TimelineToJson(Sample());
  EXPECT_EQ(j["proclab_trace"], 1);
  EXPECT_EQ(j["command"], (json{"python3", "orphan.py"}));
  EXPECT_EQ(j["lab"]["pid"], 1);
  EXPECT_EQ(j["lab"]["pid_namespace"], true);
  EXPECT_EQ(j["processes"], json::parse(R"([{"id": 1, "pid": 2, "ppid": 1, "name": "python3",
      "argv": ["python3", "orphan.py"], "start_us": 0, "end_us": 32000,
      "exit": {"code": 0}, "reaped_by": 1}])"));
  ASSERT_EQ(j["events"].size(), 3u);
  EXPECT_EQ(j["events"][0]["type"], "spawn");
  EXPECT_EQ(j["events"][2]["by"], 1);
  EXPECT_EQ(j["summary"]["forks_refused"], 2);
  EXPECT_FALSE(j["summary"].contains("threads_refused")) << "written only when some were";
}

TEST(TraceJson, TimelineRoundTrip) {
  Timeline t = Sample();
  t.launch_error = "could not start: ENOENT";
  t.summary.threads_refused = 3;
  auto back = TimelineFromJson(json::parse(TimelineToJson(t).dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(TimelineToJson(*back), TimelineToJson(t));
  EXPECT_EQ(back->command, t.command);
  EXPECT_EQ(back->main_pid, 2);
  EXPECT_EQ(back->launch_error, t.launch_error);
  EXPECT_EQ(back->summary.end_us, 512000);
  EXPECT_EQ(back->summary.output_dropped[1], 9);
  EXPECT_EQ(back->summary.forks_refused, 2);
  EXPECT_EQ(back->summary.threads_refused, 3);
  EXPECT_TRUE(back->complete);
  EXPECT_EQ(back->events().size(), 3u);
}

// files: facts and what was left outside: the keys of design.md §4.7, back
// and forth, and the same text streamed or dumped.
TEST(TraceJson, FilesAndLeftOutside) {
  Timeline t = Sample();
  FileFacts out;
  out.pattern = "out.txt";
  out.matched = 1;
  FileEntry entry;
  entry.path = "out.txt";
  entry.kind = "file";
  entry.size = 5;
  entry.written = true;
  entry.text = "done\n";
  out.entries.push_back(entry);
  FileFacts none;
  none.pattern = "logs/*.log";
  none.missing = "logs";
  none.listing = {"a.txt"};
  none.listing_total = 1;
  none.gone = {"logs/old.log"};
  t.files = {out, none};
  LeftOutside left;
  left.watched = {"/tmp", "/dev/shm"};
  left.entries.push_back({"/tmp/fifo-3", "fifo", 0, 0, true, ""});
  left.total = 1;
  t.left_outside = left;
  const json j = TimelineToJson(t);
  EXPECT_EQ(j["files"], json::parse(R"([
      {"pattern": "out.txt", "matched": 1, "entries": [
         {"path": "out.txt", "kind": "file", "size": 5, "written": true, "text": "done\n"}]},
      {"pattern": "logs/*.log", "matched": 0, "entries": [], "gone": ["logs/old.log"],
       "folder": "", "missing": "logs", "listing": ["a.txt"], "listing_total": 1}])"));
  EXPECT_EQ(j["left_outside"], json::parse(R"({"watched": ["/tmp", "/dev/shm"], "total": 1,
      "entries": [{"path": "/tmp/fifo-3", "kind": "fifo", "removed": true}]})"));
  auto back = TimelineFromJson(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(TimelineToJson(*back), j);
  ASSERT_EQ(back->files.size(), 2u);
  EXPECT_EQ(back->files[0].entries[0].text, "done\n");
  EXPECT_TRUE(back->left_outside);
  std::string streamed;
  WriteTimelineJson(t, 1, [&](std::string_view piece) { streamed += piece; });
  EXPECT_EQ(json::parse(streamed), j);
  // Negative control: a timeline without them has neither key.
  EXPECT_FALSE(TimelineToJson(Sample()).contains("files"));
  EXPECT_FALSE(TimelineToJson(Sample()).contains("left_outside"));
}

TEST(TraceJson, TimelineFromJsonRejectsNonTraces) {
  EXPECT_FALSE(TimelineFromJson(json::array()).ok());
  EXPECT_FALSE(TimelineFromJson(json("trace")).ok());
  EXPECT_FALSE(TimelineFromJson(json::object()).ok());
  EXPECT_FALSE(TimelineFromJson(json{{"proclab_trace", 2}}).ok());
  auto bad_event = TimelineFromJson(json{{"proclab_trace", 1}, {"events", {{{"type", "x"}}}}});
  ASSERT_FALSE(bad_event.ok());
  EXPECT_NE(bad_event.error().message.find("'x'"), std::string::npos);
  // Negative control: the smallest trace is accepted.
  EXPECT_TRUE(TimelineFromJson(json{{"proclab_trace", 1}}).ok());
}

TEST(TraceJson, TimelineFromJsonIllTypedFieldsAreErrors) {
  for (const char* text : {R"({"proclab_trace": "1"})", R"({"proclab_trace": 1, "command": "ls"})",
                           R"({"proclab_trace": 1, "lab": 5})",
                           R"({"proclab_trace": 1, "summary": {"end_us": "x"}})"}) {
    SCOPED_TRACE(text);
    bool ok = true;
    EXPECT_NO_THROW(ok = TimelineFromJson(json::parse(text)).ok());
    EXPECT_FALSE(ok);
  }
}

// The streamed writer and the whole document must be the same text, at every
// depth and for empty arrays, or a reader would see two formats.
TEST(TraceJson, StreamedTimelineIsTheDumpedDocument) {
  Timeline empty;
  empty.command = {"true"};
  for (const Timeline& t : {Sample(), empty}) {
    for (int levels : {0, 1, 2}) {
      SCOPED_TRACE(levels);
      std::string streamed;
      WriteTimelineJson(t, levels, [&](std::string_view piece) { streamed += piece; });
      std::string whole = DumpIndented(TimelineToJson(t), levels);
      EXPECT_EQ(std::string(levels * 2, ' ') + streamed, whole);
      EXPECT_EQ(json::parse(streamed), TimelineToJson(t));
    }
  }
}

TEST(TraceJson, DumpIndentedShiftsEveryLine) {
  EXPECT_EQ(DumpIndented(json{{"a", json::array({1})}}, 1),
            "  {\n    \"a\": [\n      1\n    ]\n  }");
  EXPECT_EQ(DumpIndented(json::array(), 1), "  []");
}

TEST(TraceJson, LibcReservedSignalsSurvive) {
  for (int sig : {32, 33}) {
    Event e = JsonEvent(1, EventType::kSignalDelivered, 2);
    e.sig = sig;
    EXPECT_EQ(RoundTrip(e).sig, sig);
  }
}

}  // namespace
}  // namespace proclab
