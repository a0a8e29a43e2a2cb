// Events in words, as every report and explanation shows them.
#include "runner/timeline/describe.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "runner/timeline/timeline.h"

namespace proclab {
namespace {

Event Make(int64_t t, EventType type, pid_t pid) {
  Event e;
  e.t_us = t;
  e.type = type;
  e.pid = pid;
  return e;
}

TEST(Describe, Events) {
  Event e = Make(0, EventType::kSignalSent, 0);
  e.sig = SIGTERM;
  e.from = Party::Process(2);
  e.to_all = true;
  EXPECT_EQ(DescribeEvent(e, 1), "sends SIGTERM → every process (kill -1)");
  e.to_all = false;
  e.to_group = 5;
  e.via = "killpg";
  e.error = "ESRCH";
  EXPECT_EQ(DescribeEvent(e, 1), "sends SIGTERM → process group 5 (killpg) — failed: ESRCH");
  Event r = Make(0, EventType::kReap, 3);
  r.by = Party::Kernel();
  EXPECT_EQ(DescribeEvent(r, 1), "reaped automatically (parent ignores SIGCHLD)");
  r.by = Party::Process(2);
  EXPECT_EQ(DescribeEvent(r, 1), "reaped by 2");
  Event x = Make(0, EventType::kExit, 3);
  x.signaled = true;
  x.sig = SIGKILL;
  EXPECT_EQ(DescribeEvent(x, 1), "killed by SIGKILL");
  Event f = Make(0, EventType::kFork, 4);
  f.thread = true;
  EXPECT_EQ(DescribeEvent(f, 1), "new thread 4");
}

TEST(QuoteOutput, EscapesControlCharacters) {
  EXPECT_EQ(QuoteOutput("hello\n", 80), "hello");  // the line's own newline goes
  EXPECT_EQ(QuoteOutput("a\tb\rc\n\n", 80), "a\\tb\\rc\\n");
  EXPECT_EQ(QuoteOutput("\x1b[31mred\x7f", 80), "\\x1b[31mred\\x7f");
  EXPECT_EQ(QuoteOutput(std::string("nul\0x", 5), 80), "nul\\x00x");
  EXPECT_EQ(QuoteOutput("héllo ✓", 80), "héllo ✓");  // UTF-8 is printable
  EXPECT_EQ(QuoteOutput("plain", 80), "plain");
}

TEST(QuoteOutput, ShortensOnAUtf8Boundary) {
  // "é" is two bytes, "✓" three: a cut inside either backs up to its start.
  EXPECT_EQ(QuoteOutput("aé", 2), "a… (3 bytes)");
  EXPECT_EQ(QuoteOutput("ééé\n", 3), "é… (7 bytes)");
  EXPECT_EQ(QuoteOutput("✓✓", 4), "✓… (6 bytes)");
  EXPECT_EQ(QuoteOutput("✓✓", 5), "✓… (6 bytes)");
  EXPECT_EQ(QuoteOutput("abcdef", 3), "abc… (6 bytes)");
  // Negative controls: exactly at the limit, or under it, nothing is cut.
  EXPECT_EQ(QuoteOutput("✓✓", 6), "✓✓");
  EXPECT_EQ(QuoteOutput("abc\n", 3), "abc");
}

}  // namespace
}  // namespace proclab
