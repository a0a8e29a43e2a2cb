#include "runner/lab/event_stream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "runner/os/unique_fd.h"
#include "runner/timeline/trace_json.h"

namespace proclab {
namespace {

using nlohmann::json;

struct TestPipe {
  os::UniqueFd read, write;
  TestPipe() {
    int fds[2];
    EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
    read = os::UniqueFd(fds[0]);
    write = os::UniqueFd(fds[1]);
  }
  // Closes the write end and returns everything written (small: fits the pipe).
  std::string Drain() {
    write.Reset();
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(read.get(), buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }
};

Event StreamEvent(int64_t t, EventType type, pid_t pid) {
  Event e;
  e.t_us = t;
  e.type = type;
  e.pid = pid;
  return e;
}

std::vector<Event> SampleEvents() {
  Event s = StreamEvent(0, EventType::kSpawn, 2);
  s.ppid = 1;
  s.argv = {"sh", "-c", "echo hi"};
  Event o = StreamEvent(10, EventType::kOutput, 2);
  o.text = "hi\n";
  Event d = StreamEvent(20, EventType::kSignalDelivered, 2);
  d.sig = SIGUSR1;
  d.from = Party::Lab();
  d.outcome = Outcome::kHandled;
  Event x = StreamEvent(30, EventType::kExit, 2);
  x.code = 0;
  Event r = StreamEvent(31, EventType::kReap, 2);
  r.by = Party::Process(1);
  return {s, o, d, x, r};
}

// Feeds `bytes` in chunks of `chunk`, collecting the events Feed returns.
std::vector<Event> FeedInChunks(EventStreamReader& reader, const std::string& bytes, size_t chunk) {
  std::vector<Event> got;
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    auto part = reader.Feed(std::string_view(bytes).substr(i, chunk));
    got.insert(got.end(), part.begin(), part.end());
  }
  return got;
}

std::string WriteSample(bool with_end) {
  TestPipe p;
  EventStreamWriter w(p.write.get());
  LabInfo lab;
  lab.pid = 1;
  lab.pid_namespace = true;
  lab.user_namespace = true;
  lab.note = "none";
  lab.uid = 1000;
  w.Lab(lab, {"sh", "-c", "echo hi"});
  w.Main(2);
  for (const auto& e : SampleEvents()) w.Event(e);
  EXPECT_GT(w.pending(), 0u);
  if (with_end) {
    RunSummary s;
    s.end_us = 500;
    s.output_dropped[0] = 3;
    s.output_unattributed[1] = 4;
    s.forks_refused = 5;
    s.lab_error = "oops";
    w.End(s);
  }
  EXPECT_TRUE(w.Flush());
  EXPECT_EQ(w.pending(), 0u);
  EXPECT_FALSE(w.broken());
  return p.Drain();
}

TEST(EventStream, RoundTripInOddChunks) {
  const std::string bytes = WriteSample(/*with_end=*/true);
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{13}, bytes.size()}) {
    SCOPED_TRACE(chunk);
    Timeline t;
    EventStreamReader reader(&t);
    std::vector<Event> got = FeedInChunks(reader, bytes, chunk);
    EXPECT_EQ(reader.error(), "");
    EXPECT_TRUE(reader.ended());
    EXPECT_TRUE(t.complete);
    EXPECT_EQ(t.lab.pid, 1);
    EXPECT_TRUE(t.lab.pid_namespace);
    EXPECT_TRUE(t.lab.user_namespace);
    EXPECT_EQ(t.lab.note, "none");
    EXPECT_EQ(t.lab.uid, 1000);
    EXPECT_EQ(t.command, (std::vector<std::string>{"sh", "-c", "echo hi"}));
    EXPECT_EQ(t.main_pid, 2);
    EXPECT_EQ(t.launch_error, "");
    EXPECT_EQ(t.summary.end_us, 500);
    EXPECT_EQ(t.summary.output_dropped[0], 3);
    EXPECT_EQ(t.summary.output_unattributed[1], 4);
    EXPECT_EQ(t.summary.forks_refused, 5);
    EXPECT_EQ(t.summary.lab_error, "oops");
    const auto want = SampleEvents();
    ASSERT_EQ(t.events().size(), want.size());
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(EventToJson(t.events()[i]), EventToJson(want[i]));
      EXPECT_EQ(EventToJson(got[i]), EventToJson(want[i]));
    }
  }
}

TEST(EventStream, NoTrailerMeansIncomplete) {
  const std::string bytes = WriteSample(/*with_end=*/false);
  Timeline t;
  EventStreamReader reader(&t);
  FeedInChunks(reader, bytes, 5);
  EXPECT_FALSE(reader.ended());
  EXPECT_FALSE(t.complete);
  EXPECT_EQ(t.events().size(), SampleEvents().size());
  EXPECT_EQ(reader.error(), "");
}

TEST(EventStream, PartialLineWaitsForItsNewline) {
  Timeline t;
  EventStreamReader reader(&t);
  EXPECT_TRUE(reader.Feed(R"({"type":"exit","pid":3,"code":1})").empty());
  EXPECT_TRUE(t.events().empty());
  EXPECT_EQ(reader.Feed("\n").size(), 1u);
  ASSERT_EQ(t.events().size(), 1u);
  EXPECT_EQ(t.events()[0].code, 1);
}

TEST(EventStream, FilesTravelToTheRunner) {
  TestPipe p;
  EventStreamWriter w(p.write.get());
  FileFacts f;
  f.pattern = "out.txt";
  f.matched = 1;
  f.entries.push_back({"out.txt", "file", 3, true, "ok\n", false, ""});
  LeftOutside left;
  left.watched = {"/tmp"};
  w.Files({f}, left);
  w.End({});
  ASSERT_TRUE(w.Flush());
  Timeline t;
  EventStreamReader reader(&t);
  FeedInChunks(reader, p.Drain(), 4);
  EXPECT_EQ(reader.error(), "");
  ASSERT_EQ(t.files.size(), 1u);
  EXPECT_EQ(t.files[0].entries[0].text, "ok\n");
  ASSERT_TRUE(t.left_outside);
  EXPECT_EQ(t.left_outside->watched, std::vector<std::string>{"/tmp"});
  EXPECT_TRUE(t.complete);
}

TEST(EventStream, LaunchError) {
  TestPipe p;
  EventStreamWriter w(p.write.get());
  w.LaunchError("could not start ./nope: ENOENT", true);
  w.End({});
  ASSERT_TRUE(w.Flush());
  Timeline t;
  EventStreamReader reader(&t);
  FeedInChunks(reader, p.Drain(), 3);
  EXPECT_EQ(t.launch_error, "could not start ./nope: ENOENT");
  EXPECT_TRUE(t.complete);
}

TEST(EventStream, MalformedLineSetsError) {
  Timeline t;
  EventStreamReader reader(&t);
  reader.Feed("{\"type\":\"main\",\"pid\":4}\n");
  EXPECT_EQ(reader.error(), "");  // negative control
  reader.Feed("this is not json\n");
  EXPECT_NE(reader.error().find("malformed"), std::string::npos);
  EXPECT_EQ(t.main_pid, 4);

  Timeline t2;
  EventStreamReader r2(&t2);
  r2.Feed("[1,2]\n");
  EXPECT_NE(r2.error(), "");

  Timeline t3;
  EventStreamReader r3(&t3);
  r3.Feed("{\"type\":\"teleport\"}\n");
  EXPECT_NE(r3.error().find("teleport"), std::string::npos);
  EXPECT_TRUE(t3.events().empty());
}

TEST(EventStream, IllTypedLineSetsErrorWithoutThrowing) {
  for (const char* line : {"{\"type\":5}\n", "{\"type\":\"main\",\"pid\":\"x\"}\n",
                           "{\"type\":\"end\",\"end_us\":\"x\"}\n"}) {
    SCOPED_TRACE(line);
    Timeline t;
    EventStreamReader reader(&t);
    EXPECT_NO_THROW(reader.Feed(line));
    EXPECT_NE(reader.error(), "");
  }
}

TEST(EventStream, InvalidUtf8InCommandOrLaunchError) {
  TestPipe p;
  EventStreamWriter w(p.write.get());
  EXPECT_NO_THROW(w.Lab({}, {"./prog", "\xff"}));
  EXPECT_NO_THROW(w.LaunchError("could not start ./\xff: ENOENT", true));
}

TEST(EventStream, InvalidUtf8OutputIsStreamed) {
  TestPipe p;
  EventStreamWriter w(p.write.get());
  Event o = StreamEvent(1, EventType::kOutput, 2);
  o.text = "bad \xff byte\n";
  ASSERT_NO_THROW(w.Event(o));
  ASSERT_TRUE(w.Flush());
  Timeline t;
  EventStreamReader reader(&t);
  reader.Feed(p.Drain());
  EXPECT_EQ(reader.error(), "");
  ASSERT_EQ(t.events().size(), 1u);
  EXPECT_NE(t.events()[0].text.find(" byte\n"), std::string::npos);
}

TEST(EventStream, WriterNoticesTheRunnerIsGone) {
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGPIPE, &ignore, &old), 0);
  TestPipe p;
  p.read.Reset();
  EventStreamWriter w(p.write.get());
  w.Main(2);
  EXPECT_FALSE(w.Flush());
  EXPECT_TRUE(w.broken());
  EXPECT_EQ(w.pending(), 0u);
  sigaction(SIGPIPE, &old, nullptr);
}

}  // namespace
}  // namespace proclab
