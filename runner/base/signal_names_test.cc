#include "runner/base/signal_names.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace proclab {
namespace {

TEST(SignalNames, Names) {
  EXPECT_EQ(SignalName(SIGUSR1), "SIGUSR1");
  EXPECT_EQ(SignalName(SIGKILL), "SIGKILL");
  EXPECT_EQ(SignalName(SIGCHLD), "SIGCHLD");
  EXPECT_EQ(SignalName(SIGRTMIN), "SIGRTMIN");
  EXPECT_EQ(SignalName(SIGRTMIN + 2), "SIGRTMIN+2");
  EXPECT_EQ(SignalName(99), "signal 99");
  EXPECT_EQ(SignalName(0), "signal 0");
  EXPECT_NE(SignalName(SIGUSR2), "SIGUSR1");
}

TEST(SignalNames, ParseForms) {
  EXPECT_EQ(ParseSignal("SIGUSR1"), SIGUSR1);
  EXPECT_EQ(ParseSignal("USR1"), SIGUSR1);
  EXPECT_EQ(ParseSignal("sigusr1"), SIGUSR1);
  EXPECT_EQ(ParseSignal("usr1"), SIGUSR1);
  EXPECT_EQ(ParseSignal("10"), 10);
  EXPECT_EQ(ParseSignal("1"), 1);
  EXPECT_EQ(ParseSignal("64"), 64);
  EXPECT_EQ(ParseSignal("SIGRTMIN"), SIGRTMIN);
  EXPECT_EQ(ParseSignal("RTMIN+2"), SIGRTMIN + 2);
  EXPECT_EQ(ParseSignal("sigrtmin+0"), SIGRTMIN);
  EXPECT_EQ(ParseSignal("SIGRTMAX"), SIGRTMAX);
  EXPECT_EQ(ParseSignal(std::to_string(SIGRTMAX - SIGRTMIN).insert(0, "SIGRTMIN+")), SIGRTMAX);
}

TEST(SignalNames, ParseRejects) {
  for (const char* bad :
       {"", "0", "65", "-1", "+10", "10x", "1 0", "SIG", "SIGFOO", "USR", "SIGUSR1 ", " SIGUSR1",
        "SIGSIGUSR1", "RTMIN+", "RTMIN-1", "RTMIN+-1", "RTMIN+x", "RTMIN2", "signal 10"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseSignal(bad), std::nullopt);
  }
  EXPECT_EQ(ParseSignal("RTMIN+" + std::to_string(SIGRTMAX - SIGRTMIN + 1)), std::nullopt);
}

TEST(SignalNames, NamesRoundTrip) {
  for (int sig = 1; sig <= SIGRTMAX; ++sig) {
    if (sig > SIGSYS && sig < SIGRTMIN) continue;  // reserved by libc, printed as numbers
    SCOPED_TRACE(sig);
    EXPECT_EQ(ParseSignal(SignalName(sig)), sig);
  }
}

TEST(SignalNames, DefaultActions) {
  for (int sig :
       {SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS, SIGXCPU, SIGXFSZ})
    EXPECT_TRUE(SignalDefaultDumpsCore(sig)) << sig;
  for (int sig : {SIGTERM, SIGKILL, SIGINT, SIGUSR1, SIGCHLD, SIGSTOP})
    EXPECT_FALSE(SignalDefaultDumpsCore(sig)) << sig;

  for (int sig : {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}) EXPECT_TRUE(SignalDefaultStops(sig)) << sig;
  for (int sig : {SIGCONT, SIGTERM, SIGCHLD, SIGKILL}) EXPECT_FALSE(SignalDefaultStops(sig)) << sig;

  for (int sig : {SIGCHLD, SIGCONT, SIGURG, SIGWINCH})
    EXPECT_TRUE(SignalDefaultIgnored(sig)) << sig;
  for (int sig : {SIGTERM, SIGUSR1, SIGTSTP, SIGPIPE, SIGRTMIN})
    EXPECT_FALSE(SignalDefaultIgnored(sig)) << sig;
}

}  // namespace
}  // namespace proclab
