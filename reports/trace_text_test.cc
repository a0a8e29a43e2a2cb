#include "reports/trace_text.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

namespace proclab {
namespace {

// The text is printed when a phrase is missing (or present when it should not be).
::testing::AssertionResult Has(const std::string& text, const std::string& phrase) {
  if (text.find(phrase) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no \"" << phrase << "\" in:\n" << text;
}
::testing::AssertionResult Lacks(const std::string& text, const std::string& phrase) {
  if (text.find(phrase) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "unexpected \"" << phrase << "\" in:\n" << text;
}

Event Make(int64_t t, EventType type, pid_t pid) {
  Event e;
  e.t_us = t;
  e.type = type;
  e.pid = pid;
  return e;
}

struct Shape {
  bool orphan = true;  // the child outlives its parent and the lab adopts it
  bool signal = true;  // the child sends SIGUSR1 to its parent, which handles it
  bool output = true;  // the parent prints "hello"
  bool reaped = true;  // someone reaps the parent
};

// pid 2 (started by lab 1) forks 3; see Shape for the variations.
Timeline Build(const Shape& s) {
  Timeline t;
  t.command = {"parent", "--flag"};
  t.lab.pid = 1;
  t.lab.pid_namespace = true;
  Event spawn = Make(0, EventType::kSpawn, 2);
  spawn.ppid = 1;
  spawn.argv = t.command;
  spawn.name = "parent";
  t.Add(spawn);
  Event fork = Make(1000, EventType::kFork, 3);
  fork.parent = 2;
  t.Add(fork);
  if (s.signal) {
    Event sent = Make(2000, EventType::kSignalSent, 0);
    sent.sig = SIGUSR1;
    sent.from = Party::Process(3);
    sent.to = 2;
    sent.via = "kill";
    t.Add(sent);
    Event got = Make(2100, EventType::kSignalDelivered, 2);
    got.sig = SIGUSR1;
    got.from = Party::Process(3);
    got.outcome = Outcome::kHandled;
    t.Add(got);
  }
  if (s.output) {
    Event out = Make(3000, EventType::kOutput, 2);
    out.text = "hello\n";
    t.Add(out);
  }
  t.Add(Make(4000, EventType::kExit, 2));
  if (s.orphan) {
    Event re = Make(4010, EventType::kReparent, 3);
    re.from = Party::Process(2);
    re.new_parent = 1;
    t.Add(re);
  }
  if (s.reaped) {
    Event reap = Make(4100, EventType::kReap, 2);
    reap.by = Party::Process(1);
    t.Add(reap);
  }
  if (!s.orphan) {  // the parent waits for the child before it exits
    Event x = Make(3900, EventType::kExit, 3);
    t.Add(x);
  }
  t.summary.end_us = 9000;
  t.complete = true;
  return t;
}

TEST(TraceText, ContainsTheStory) {
  std::string text = RenderTraceText(Build({}));
  EXPECT_TRUE(Has(text, "proclab trace: parent --flag"));
  EXPECT_TRUE(Has(text, "PID 1 of its own PID namespace"));
  EXPECT_TRUE(Has(text, "adopted by lab"));
  EXPECT_TRUE(Has(text, "SIGUSR1 3 → 2 handled"));
  EXPECT_TRUE(Has(text, "sends SIGUSR1 → 2"));
  EXPECT_TRUE(Has(text, "stdout: hello"));
  EXPECT_TRUE(Has(text, "reaped by lab (1)"));
  EXPECT_TRUE(Has(text, "exit 0 at 0.004s"));
  EXPECT_TRUE(Has(text, "never exited"));  // the orphan is still running
  EXPECT_TRUE(Has(text, "ended at 0.009s"));
  EXPECT_TRUE(Lacks(text, "never reaped"));
}

TEST(TraceText, PhrasesAbsentWhenThingsDidNotHappen) {
  Shape quiet;
  quiet.orphan = quiet.signal = quiet.output = quiet.reaped = false;
  std::string text = RenderTraceText(Build(quiet));
  EXPECT_TRUE(Lacks(text, "adopted by"));
  EXPECT_TRUE(Lacks(text, "SIGUSR1"));
  EXPECT_TRUE(Lacks(text, "stdout:"));
  EXPECT_TRUE(Lacks(text, "reaped by"));
  EXPECT_TRUE(Has(text, "never reaped"));
}

TEST(TraceText, EachPhraseHasItsOwnCause) {
  Shape s;
  s.signal = false;
  EXPECT_TRUE(Lacks(RenderTraceText(Build(s)), "SIGUSR1 3 → 2 handled"));
  EXPECT_TRUE(Has(RenderTraceText(Build(s)), "adopted by lab"));
  s = {};
  s.orphan = false;
  EXPECT_TRUE(Lacks(RenderTraceText(Build(s)), "adopted by lab"));
  EXPECT_TRUE(Has(RenderTraceText(Build(s)), "stdout: hello"));
}

TEST(TraceText, LabWithoutNamespaceAndLeftovers) {
  Timeline t = Build({});
  t.lab.pid = 4242;
  t.lab.pid_namespace = false;
  t.lab.note = "unshare: EPERM";
  Event k = Make(8000, EventType::kKilledByLab, 3);
  k.detail = "left running";
  t.Add(k);
  t.summary.output_dropped[0] = 12;
  t.summary.forks_refused = 1;
  t.summary.lab_error = "lost the tracee";
  std::string text = RenderTraceText(t);
  EXPECT_TRUE(Has(text, "child subreaper (no PID namespace: unshare: EPERM)"));
  EXPECT_TRUE(Has(text, "Left over, killed by the lab:"));
  EXPECT_TRUE(Has(text, "3 parent (left running)"));
  EXPECT_TRUE(Has(text, "stdout: 12 bytes past the output cap"));
  EXPECT_TRUE(Has(text, "1 fork refused"));
  EXPECT_TRUE(Has(text, "proclab failed: lost the tracee"));
  std::string plain = RenderTraceText(Build({}));
  EXPECT_TRUE(Lacks(plain, "Left over"));
  EXPECT_TRUE(Lacks(plain, "refused"));
  EXPECT_TRUE(Lacks(plain, "proclab failed"));
}

Timeline Refusing(int forks, int threads, std::vector<std::string> caps) {
  Timeline t = Build({});
  for (const auto& cap : caps) {
    Event limit = Make(5000, EventType::kLimit, 2);
    limit.kind = cap;
    limit.detail = cap == "tasks" ? fmt::format(
                                        "1024 tasks (threads and processes, zombies "
                                        "included): {} refused with EAGAIN",
                                        threads ? "thread creation" : "fork")
                                  : "256 processes (zombies included): fork refused with EAGAIN";
    t.Add(limit);
  }
  t.summary.forks_refused = forks;
  t.summary.threads_refused = threads;
  return t;
}

// The summary names what the caps refused: a thread bomb's refusals are
// thread creations at the task cap, not forks at the process cap. Negative
// control: a fork bomb's are still forks at the process cap.
TEST(TraceText, RefusalsSayWhatWasRefusedAndAtWhichCap) {
  std::string threads = RenderTraceText(Refusing(0, 5000, {"tasks"}));
  EXPECT_TRUE(Has(threads, "\n5000 thread creations refused at the task cap\n"));
  EXPECT_TRUE(Lacks(threads, "forks refused"));
  EXPECT_TRUE(Lacks(threads, "process cap"));

  std::string forks = RenderTraceText(Refusing(3000, 0, {"processes"}));
  EXPECT_TRUE(Has(forks, "\n3000 forks refused at the process cap\n"));
  EXPECT_TRUE(Lacks(forks, "thread creations refused"));
  EXPECT_TRUE(Lacks(forks, "task cap"));

  std::string both = RenderTraceText(Refusing(1, 7, {"processes", "tasks"}));
  EXPECT_TRUE(Has(both, "\n1 fork refused at the process or the task cap\n"));
  EXPECT_TRUE(Has(both, "\n7 thread creations refused at the task cap\n"));
  EXPECT_TRUE(Has(RenderTraceText(Refusing(2, 0, {"processes", "tasks"})),
                  "\n2 forks refused at the process and the task caps\n"));
  EXPECT_TRUE(
      Has(RenderTraceText(Refusing(1, 0, {"tasks"})), "\n1 fork refused at the task cap\n"));
  EXPECT_TRUE(Has(RenderTraceText(Refusing(0, 1, {"tasks"})),
                  "\n1 thread creation refused at the task cap\n"));
}

TEST(TraceText, LongOutputUsesMaxText) {
  Timeline t = Build({});
  Event out = Make(3500, EventType::kOutput, 2);
  out.text = std::string(50, 'z') + "\n";
  t.Add(out);
  TraceTextOptions opt;
  opt.max_text = 10;
  EXPECT_TRUE(Has(RenderTraceText(t, opt), "stdout: zzzzzzzzzz… (51 bytes)"));
  EXPECT_TRUE(Has(RenderTraceText(t), "stdout: " + std::string(50, 'z') + "\n"));
}

}  // namespace
}  // namespace proclab
