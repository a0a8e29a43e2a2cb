#include "runner/lab/signal_outcome.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdint>

namespace proclab {
namespace {

uint64_t Bit(int sig) { return uint64_t{1} << (sig - 1); }

constexpr Disposition kDefault{};
constexpr Disposition kCaught{true, false};
constexpr Disposition kIgnored{false, true};

TEST(Disposition, FromMasksReadsTheSignalsBit) {
  Disposition d = Disposition::FromMasks(SIGUSR1, Bit(SIGUSR1), 0);
  EXPECT_TRUE(d.caught);
  EXPECT_FALSE(d.ignored);

  d = Disposition::FromMasks(SIGUSR1, 0, Bit(SIGUSR1));
  EXPECT_FALSE(d.caught);
  EXPECT_TRUE(d.ignored);

  // Negative control: a neighbouring bit says nothing about this signal.
  d = Disposition::FromMasks(SIGUSR1, Bit(SIGUSR2) | Bit(SIGSEGV), Bit(SIGUSR2));
  EXPECT_FALSE(d.caught);
  EXPECT_FALSE(d.ignored);
}

TEST(Disposition, FromMasksEdges) {
  // Signal 1 is bit 0; signal 64 is bit 63 (/proc/PID/status SigCgt/SigIgn).
  EXPECT_TRUE(Disposition::FromMasks(1, 1, 0).caught);
  EXPECT_FALSE(Disposition::FromMasks(2, 1, 0).caught);
  EXPECT_TRUE(Disposition::FromMasks(64, uint64_t{1} << 63, 0).caught);
  EXPECT_TRUE(Disposition::FromMasks(64, 0, uint64_t{1} << 63).ignored);
  EXPECT_FALSE(Disposition::FromMasks(63, uint64_t{1} << 63, 0).caught);
  Disposition all = Disposition::FromMasks(SIGRTMIN, ~uint64_t{0}, ~uint64_t{0});
  EXPECT_TRUE(all.caught);
  EXPECT_TRUE(all.ignored);
}

TEST(DeliveryOutcome, SigkillAlwaysKills) {
  EXPECT_EQ(DeliveryOutcome(SIGKILL, kDefault, false), Outcome::kKilled);
  // Masks cannot change it (the kernel refuses handlers for SIGKILL anyway).
  EXPECT_EQ(DeliveryOutcome(SIGKILL, kCaught, false), Outcome::kKilled);
  EXPECT_EQ(DeliveryOutcome(SIGKILL, kIgnored, true), Outcome::kKilled);
}

TEST(DeliveryOutcome, SigstopAlwaysStops) {
  EXPECT_EQ(DeliveryOutcome(SIGSTOP, kDefault, false), Outcome::kStopped);
  EXPECT_EQ(DeliveryOutcome(SIGSTOP, kCaught, false), Outcome::kStopped);
  EXPECT_EQ(DeliveryOutcome(SIGSTOP, kIgnored, false), Outcome::kStopped);
  // Unlike SIGTSTP, SIGSTOP stops even in an orphaned process group.
  EXPECT_EQ(DeliveryOutcome(SIGSTOP, kDefault, true), Outcome::kStopped);
}

TEST(DeliveryOutcome, CaughtIsHandled) {
  for (int sig : {SIGUSR1, SIGTERM, SIGINT, SIGCHLD, SIGTSTP, SIGCONT, SIGSEGV}) {
    SCOPED_TRACE(sig);
    EXPECT_EQ(DeliveryOutcome(sig, kCaught, false), Outcome::kHandled);
    EXPECT_EQ(DeliveryOutcome(sig, kCaught, true), Outcome::kHandled);
  }
  // Negative control: the same signal at its default is not handled.
  EXPECT_NE(DeliveryOutcome(SIGUSR1, kDefault, false), Outcome::kHandled);
}

TEST(DeliveryOutcome, IgnoredIsIgnored) {
  for (int sig : {SIGUSR1, SIGTERM, SIGINT, SIGHUP, SIGTSTP, SIGTTIN, SIGCHLD}) {
    SCOPED_TRACE(sig);
    EXPECT_EQ(DeliveryOutcome(sig, kIgnored, false), Outcome::kIgnored);
  }
  EXPECT_NE(DeliveryOutcome(SIGTERM, kDefault, false), Outcome::kIgnored);
}

TEST(DeliveryOutcome, SigcontContinuesUnlessCaught) {
  EXPECT_EQ(DeliveryOutcome(SIGCONT, kDefault, false), Outcome::kContinued);
  // Resuming happens at generation, whatever the disposition.
  EXPECT_EQ(DeliveryOutcome(SIGCONT, kIgnored, false), Outcome::kContinued);
  EXPECT_EQ(DeliveryOutcome(SIGCONT, kDefault, true), Outcome::kContinued);
  EXPECT_EQ(DeliveryOutcome(SIGCONT, kCaught, false), Outcome::kHandled);
}

TEST(DeliveryOutcome, TerminalStopSignalsAtDefault) {
  for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
    SCOPED_TRACE(sig);
    EXPECT_EQ(DeliveryOutcome(sig, kDefault, false), Outcome::kStopped);
    // An orphaned group: the kernel discards them.
    EXPECT_EQ(DeliveryOutcome(sig, kDefault, true), Outcome::kIgnored);
  }
}

TEST(DeliveryOutcome, DefaultIgnoredSignals) {
  for (int sig : {SIGCHLD, SIGWINCH, SIGURG}) {
    SCOPED_TRACE(sig);
    EXPECT_EQ(DeliveryOutcome(sig, kDefault, false), Outcome::kIgnored);
    EXPECT_EQ(DeliveryOutcome(sig, kDefault, true), Outcome::kIgnored);
  }
}

TEST(DeliveryOutcome, DefaultTerminates) {
  for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGSEGV,
                  SIGABRT, SIGRTMIN, SIGRTMAX}) {
    SCOPED_TRACE(sig);
    EXPECT_EQ(DeliveryOutcome(sig, kDefault, false), Outcome::kKilled);
    // The orphaned-group rule is only for stop signals.
    EXPECT_EQ(DeliveryOutcome(sig, kDefault, true), Outcome::kKilled);
  }
}

}  // namespace
}  // namespace proclab
