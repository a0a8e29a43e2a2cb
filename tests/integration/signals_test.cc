// Signals: who sent what to whom, and what each delivery did.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/base/signal_names.h"
#include "tests/integration/lab_harness.h"

namespace proclab::testing {
namespace {

class Signals : public ::testing::TestWithParam<os::Isolation> {
 protected:
  Timeline Run(const std::string& name, const std::vector<std::string>& args = {},
               const std::function<void(LabConfig&)>& tweak = {}) {
    return RunTracee(GetParam(), name, args, tweak);
  }
};

std::optional<Event> Delivery(const Timeline& t, int sig, pid_t to) {
  for (const auto& e : EventsOf(t, EventType::kSignalDelivered, to))
    if (e.sig == sig) return e;
  return std::nullopt;
}

TEST_P(Signals, EachOutcomeWithItsSender) {
  Timeline t = Run("signals");
  const pid_t parent = t.main_pid;
  auto kids = ChildrenOf(t, parent);
  ASSERT_EQ(kids.size(), 1u) << Dump(t);
  const pid_t child = kids[0];
  const std::pair<int, Outcome> expected[] = {{SIGUSR1, Outcome::kHandled},
                                              {SIGUSR2, Outcome::kIgnored},
                                              {SIGSTOP, Outcome::kStopped},
                                              {SIGCONT, Outcome::kContinued},
                                              {SIGTERM, Outcome::kKilled}};
  for (const auto& [sig, outcome] : expected) {
    auto d = Delivery(t, sig, parent);
    ASSERT_TRUE(d) << SignalName(sig) << "\n" << Dump(t);
    EXPECT_EQ(d->from, Party::Process(child)) << SignalName(sig);
    EXPECT_EQ(d->outcome, outcome) << SignalName(sig) << "\n" << Dump(t);
  }
  // Each send is on the timeline, before its delivery, with its target.
  auto sends = EventsOf(t, EventType::kSignalSent);
  ASSERT_EQ(sends.size(), 5u) << Dump(t);
  for (const auto& s : sends) {
    EXPECT_EQ(s.from, Party::Process(child));
    EXPECT_EQ(s.to, parent);
    EXPECT_EQ(s.error, "");
    EXPECT_LE(s.t_us, Delivery(t, s.sig, parent)->t_us);
  }
  // SIGSTOP made a real stop, SIGCONT ended it.
  ASSERT_EQ(EventsOf(t, EventType::kStop, parent).size(), 1u) << Dump(t);
  ASSERT_EQ(EventsOf(t, EventType::kContinue, parent).size(), 1u) << Dump(t);
  EXPECT_LT(EventsOf(t, EventType::kStop, parent)[0].t_us,
            EventsOf(t, EventType::kContinue, parent)[0].t_us);
  auto exit = Record(t, parent).exit;
  ASSERT_TRUE(exit);
  EXPECT_TRUE(exit->signaled);
  EXPECT_EQ(exit->sig, SIGTERM);

  // Negative control: without a handler the same SIGUSR1 kills.
  Timeline n = Run("signals", {"nohandler"});
  auto d = Delivery(n, SIGUSR1, n.main_pid);
  ASSERT_TRUE(d) << Dump(n);
  EXPECT_EQ(d->outcome, Outcome::kKilled);
  EXPECT_EQ(Record(n, n.main_pid).exit->sig, SIGUSR1);
}

TEST_P(Signals, StoppedItselfUntilTheTimeout) {
  Timeline t = Run("stop_self", {}, [](LabConfig& c) { c.timeout_us = 700'000; });
  auto stops = EventsOf(t, EventType::kStop, t.main_pid);
  ASSERT_EQ(stops.size(), 1u) << Dump(t);
  EXPECT_EQ(stops[0].sig, SIGSTOP);
  EXPECT_TRUE(EventsOf(t, EventType::kContinue).empty());
  auto self = Delivery(t, SIGSTOP, t.main_pid);
  ASSERT_TRUE(self);
  EXPECT_EQ(self->from, Party::Process(t.main_pid));
  EXPECT_EQ(self->outcome, Outcome::kStopped);
  // Only the lab's timeout ended it, by SIGKILL, and it says so.
  auto limits = EventsOf(t, EventType::kLimit);
  ASSERT_EQ(limits.size(), 1u) << Dump(t);
  EXPECT_EQ(limits[0].kind, "timeout");
  EXPECT_GE(limits[0].t_us, 600'000);
  auto rec = Record(t, t.main_pid);
  EXPECT_TRUE(rec.killed_by_lab);
  EXPECT_EQ(rec.exit->sig, SIGKILL);
  EXPECT_EQ(Delivery(t, SIGKILL, t.main_pid)->from, Party::Lab());
  EXPECT_EQ(OutputText(t), "stopping\n");
}

TEST_P(Signals, KillMinusOneFromInside) {
  Timeline t = Run("kill_all");
  auto kids = ChildrenOf(t, t.main_pid);
  ASSERT_EQ(kids.size(), 3u) << Dump(t);
  for (pid_t kid : kids) {
    auto rec = Record(t, kid);
    ASSERT_TRUE(rec.exit) << Dump(t);
    EXPECT_EQ(rec.exit->sig, SIGKILL);
    EXPECT_EQ(Delivery(t, SIGKILL, kid)->from, Party::Process(t.main_pid)) << Dump(t);
    EXPECT_EQ(*rec.reaped_by, Party::Process(t.main_pid));
  }
  auto sends = EventsOf(t, EventType::kSignalSent);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_TRUE(sends[0].to_all);
  // The sender and the lab survived it.
  EXPECT_EQ(OutputText(t), "killed 3\n");
  EXPECT_EQ(Record(t, t.main_pid).exit->code, 0);
}

TEST_P(Signals, StraySignalsFromAnOrphanDoNotHurtTheLab) {
  for (int sig : {SIGUSR2, SIGTERM, SIGKILL}) {
    Timeline t = Run("stray_signal", {std::to_string(sig)});
    auto kids = ChildrenOf(t, t.main_pid);
    ASSERT_EQ(kids.size(), 1u) << Dump(t);
    auto sends = EventsOf(t, EventType::kSignalSent);
    ASSERT_EQ(sends.size(), 1u) << Dump(t);
    EXPECT_EQ(sends[0].to, t.lab.pid);
    // The lab lived on to record the orphan's last words and reap it.
    EXPECT_EQ(OutputText(t), "orphan done\n") << Dump(t);
    EXPECT_EQ(*Record(t, kids[0]).reaped_by, Party::Process(t.lab.pid));
    EXPECT_TRUE(t.complete);
  }
}

TEST_P(Signals, AFailedKillSaysWhy) {
  // kill() of a pid that does not exist: ESRCH, recorded on the send.
  Timeline t = RunCommand(GetParam(), {"/bin/sh", "-c", "kill -USR1 99999; true"});
  auto sends = EventsOf(t, EventType::kSignalSent);
  ASSERT_EQ(sends.size(), 1u) << Dump(t);
  EXPECT_EQ(sends[0].to, 99999);
  // Without a namespace the lab refuses signals to anything outside it.
  EXPECT_EQ(sends[0].error, GetParam() == os::Isolation::kPidNamespace ? "ESRCH" : "EPERM");
  EXPECT_TRUE(EventsOf(t, EventType::kSignalDelivered).size() <= 1u);  // at most SIGCHLD
}

INSTANTIATE_TEST_SUITE_P(Both, Signals, ::testing::ValuesIn(Isolations()),
                         [](const auto& info) { return IsolationName(info.param); });

}  // namespace
}  // namespace proclab::testing
