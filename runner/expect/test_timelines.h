// Helpers for the expectation engine's unit tests: timelines built by hand,
// event by event, so every check can be judged without forking anything.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <utility>
#include <vector>

#include "runner/expect/judge.h"
#include "runner/scenario/scenario.h"
#include "runner/timeline/timeline.h"

namespace proclab::expect_test {

constexpr pid_t kLab = 1;
using K = Expectation::Kind;

// A timeline, one event per call, in time order.
class Tl {
 public:
  explicit Tl(pid_t main = 2, bool pid_namespace = true) {
    t.lab.pid = kLab;
    t.lab.pid_namespace = pid_namespace;
    t.main_pid = main;
    t.complete = true;
  }

  // The lab starts `pid`; `comm` is its name after exec ("python3").
  Tl& Spawn(int64_t us, pid_t pid, std::string comm = "", std::vector<std::string> argv = {}) {
    Event e = Make(us, EventType::kSpawn, pid);
    e.ppid = kLab;
    e.name = std::move(comm);
    e.argv = std::move(argv);
    return Add(std::move(e));
  }
  Tl& Fork(int64_t us, pid_t pid, pid_t parent) {
    Event e = Make(us, EventType::kFork, pid);
    e.parent = parent;
    return Add(std::move(e));
  }
  Tl& Thread(int64_t us, pid_t tid, pid_t parent) {
    Event e = Make(us, EventType::kFork, tid);
    e.parent = parent;
    e.thread = true;
    return Add(std::move(e));
  }
  Tl& Actor(int64_t us, pid_t pid, std::string name) {
    Event e = Make(us, EventType::kActor, pid);
    e.name = std::move(name);
    return Add(std::move(e));
  }
  Tl& Exec(int64_t us, pid_t pid, std::vector<std::string> argv, std::string comm) {
    Event e = Make(us, EventType::kExec, pid);
    e.argv = std::move(argv);
    e.name = std::move(comm);
    return Add(std::move(e));
  }
  // kill(to, sig) from `from`; `error` is the errno name when it failed.
  Tl& Sent(int64_t us, int sig, Party from, pid_t to, std::string error = "") {
    Event e = Make(us, EventType::kSignalSent, 0);
    e.sig = sig;
    e.from = from;
    e.to = to;
    e.via = "kill";
    e.error = std::move(error);
    return Add(std::move(e));
  }
  Tl& SentGroup(int64_t us, int sig, Party from, pid_t pgid) {
    Event e = Make(us, EventType::kSignalSent, 0);
    e.sig = sig;
    e.from = from;
    e.to_group = pgid;
    e.via = from.kind == Party::kTty ? "tty" : "kill";
    return Add(std::move(e));
  }
  Tl& Delivered(int64_t us, int sig, pid_t pid, Party from, Outcome outcome) {
    Event e = Make(us, EventType::kSignalDelivered, pid);
    e.sig = sig;
    e.from = from;
    e.outcome = outcome;
    return Add(std::move(e));
  }
  Tl& Output(int64_t us, pid_t pid, std::string text, Stream stream = Stream::kStdout) {
    Event e = Make(us, EventType::kOutput, pid);
    e.text = std::move(text);
    e.stream = stream;
    return Add(std::move(e));
  }
  Tl& Exit(int64_t us, pid_t pid, int code) {
    Event e = Make(us, EventType::kExit, pid);
    e.code = code;
    return Add(std::move(e));
  }
  Tl& Killed(int64_t us, pid_t pid, int sig, bool core = false) {
    Event e = Make(us, EventType::kExit, pid);
    e.signaled = true;
    e.sig = sig;
    e.core = core;
    return Add(std::move(e));
  }
  Tl& Reap(int64_t us, pid_t pid, Party by) {
    Event e = Make(us, EventType::kReap, pid);
    e.by = by;
    return Add(std::move(e));
  }
  Tl& Reparent(int64_t us, pid_t pid, pid_t from, pid_t to) {
    Event e = Make(us, EventType::kReparent, pid);
    e.from = Party::Process(from);
    e.new_parent = to;
    return Add(std::move(e));
  }
  Tl& Checkpoint(int64_t us, std::string name, std::vector<ProcessSnapshot> processes) {
    Event e = Make(us, EventType::kCheckpoint, 0);
    e.name = std::move(name);
    e.processes = std::move(processes);
    return Add(std::move(e));
  }
  // A `limit` event: `kind` ("cpu", "file_size", …) said in `detail`.
  Tl& Limit(int64_t us, pid_t pid, std::string kind, std::string detail) {
    Event e = Make(us, EventType::kLimit, pid);
    e.kind = std::move(kind);
    e.detail = std::move(detail);
    return Add(std::move(e));
  }
  Tl& KilledByLab(int64_t us, pid_t pid, std::string detail) {
    Event e = Make(us, EventType::kKilledByLab, pid);
    e.detail = std::move(detail);
    return Add(std::move(e));
  }
  Tl& End(int64_t us) {
    t.summary.end_us = us;
    return *this;
  }
  // An exit with what the process used (its own CPU, its peak memory).
  Tl& ExitUsing(int64_t us, pid_t pid, int code, int64_t cpu_us, int64_t max_rss_kb = 1024) {
    Event e = Make(us, EventType::kExit, pid);
    e.code = code;
    Usage u;
    u.user_us = cpu_us;
    u.max_rss_kb = max_rss_kb;
    e.usage = std::make_shared<const Usage>(u);
    return Add(std::move(e));
  }
  // The next event added carries these CPU readings (the lab's, at it).
  Tl& Reading(std::vector<CpuReading> cpu) {
    next_cpu_ = std::move(cpu);
    return *this;
  }
  // The lab granted the run `n` CPUs (0 … n-1).
  Tl& Cpus(int n) {
    t.lab.cpus.clear();
    for (int i = 0; i < n; ++i) t.lab.cpus.push_back(i);
    return *this;
  }

  Timeline t;

 private:
  static Event Make(int64_t us, EventType type, pid_t pid) {
    Event e;
    e.t_us = us;
    e.type = type;
    e.pid = pid;
    return e;
  }
  Tl& Add(Event e) {
    e.cpu = std::exchange(next_cpu_, {});
    t.Add(std::move(e));
    return *this;
  }
  std::vector<CpuReading> next_cpu_;
};

inline ProcessSnapshot Snap(pid_t pid, pid_t ppid, char state) {
  ProcessSnapshot s;
  s.pid = pid;
  s.ppid = ppid;
  s.pgid = pid;
  s.state = state;
  return s;
}

// Built-in actors with these names (each needs an Actor event on the timeline).
inline Scenario Actors(std::vector<std::string> names) {
  Scenario s;
  s.name = "unit";
  for (auto& n : names) {
    proclab::Actor a;
    a.name = std::move(n);
    s.actors.push_back(std::move(a));
  }
  return s;
}

inline Role MainRole(std::string name) {
  Role r;
  r.name = std::move(name);
  r.main = true;
  return r;
}

// `nth` 0: every child of `parent`.
inline Role ChildRole(std::string name, std::string parent, int nth = 0) {
  Role r;
  r.name = std::move(name);
  r.child_of = std::move(parent);
  r.nth = nth;
  return r;
}

// A program with the roles driver (main) and conductor (its first child).
inline Scenario DriverConductor() {
  Scenario s;
  s.name = "unit";
  s.program = {"python3", "driver_conductor.py"};
  s.tty = true;
  s.roles.push_back(MainRole("driver"));
  s.roles.push_back(ChildRole("conductor", "driver", 1));
  return s;
}

inline Expectation Exp(K kind, std::string process = "") {
  Expectation e;
  e.kind = kind;
  e.process = std::move(process);
  e.loc = SourceLoc{"unit.yaml", 7, 5};
  return e;
}

inline Expectation SignalExp(int sig, std::string from, std::string to,
                             std::optional<Outcome> outcome = std::nullopt) {
  Expectation e = Exp(K::kSignal);
  e.sig = sig;
  e.from = std::move(from);
  e.to = std::move(to);
  e.outcome = outcome;
  return e;
}

inline Expectation OutputExp(K kind, std::string pattern, std::string by = "") {
  Expectation e = Exp(kind);
  e.pattern = std::move(pattern);
  e.by = std::move(by);
  return e;
}

inline OrderItem Item(OrderItem::Kind kind, std::string text, std::string process = "") {
  OrderItem i;
  i.kind = kind;
  i.text = std::move(text);
  i.process = std::move(process);
  return i;
}

// Judges `s` (with `e` as its only listed expectation) and returns e's verdict.
inline Verdict JudgeOne(Scenario s, const Timeline& t, Expectation e) {
  s.expectations = {std::move(e)};
  auto verdicts = Judge(s, t);
  EXPECT_GE(verdicts.size(), 1u);
  return verdicts.empty() ? Verdict{} : verdicts.front();
}

inline ::testing::AssertionResult Has(const std::string& text, const std::string& phrase) {
  if (text.find(phrase) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << phrase << "\" is not in:\n" << text;
}

inline ::testing::AssertionResult Lacks(const std::string& text, const std::string& phrase) {
  if (text.find(phrase) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << phrase << "\" should not be in:\n" << text;
}

// For readable failures: the verdict's whole story.
inline std::string Show(const Verdict& v) {
  return (v.passed ? "PASS " : "FAIL ") + v.expectation + "\n  " + v.explanation;
}

}  // namespace proclab::expect_test
