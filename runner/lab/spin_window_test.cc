#include "runner/lab/spin_window.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

// The lab's loop, in miniature: a stop `gap` us after each restart is caught
// by a window at least that long; otherwise the lab gives up and sleeps.
int64_t WindowAfter(SpinWindow& w, int64_t gap, int stops) {
  int64_t t = 1000;
  for (int i = 0; i < stops; ++i, t += 10000) {
    if (w.us() >= gap) continue;  // caught while looking
    w.GaveUp(t);
    w.StopAfterSleep(t + gap);
  }
  return w.us();
}

TEST(SpinWindow, GrowsToCoverAStormsGapsAndShrinksWhenStopsAreFarApart) {
  SpinWindow w;
  const int64_t start = w.us();
  EXPECT_GE(WindowAfter(w, 150, 10), 150);  // a fork storm's longest gap: the fork itself
  EXPECT_LE(w.us(), SpinWindow::kLongestUs);
  // Negative control: a program that stops once a millisecond.
  EXPECT_EQ(WindowAfter(w, 1000, 10), SpinWindow::kShortestUs);
  EXPECT_LT(w.us(), start);
  // And a gap no window may cover leaves it short.
  EXPECT_EQ(WindowAfter(w, SpinWindow::kLongestUs + 1, 10), SpinWindow::kShortestUs);
}

TEST(SpinWindow, AStopWithNoSleepBeforeItChangesNothing) {
  SpinWindow w;
  const int64_t start = w.us();
  w.StopAfterSleep(5);
  EXPECT_EQ(w.us(), start);
  w.GaveUp(100);
  w.StopAfterSleep(120);
  EXPECT_EQ(w.us(), 2 * start);
  w.StopAfterSleep(130);  // already counted
  EXPECT_EQ(w.us(), 2 * start);
}

// A yield that lost the CPU for long, with no stop after it, means the
// programs keep the CPUs busy: looking would take from them. Negative
// control: a short yield changes nothing.
TEST(SpinWindow, AYieldThatLostTheCpuForLongMakesTheWindowTheShortest) {
  SpinWindow w;
  WindowAfter(w, 150, 10);
  const int64_t grown = w.us();
  EXPECT_FALSE(w.Contended(SpinWindow::kContendedUs - 1));
  EXPECT_EQ(w.us(), grown);
  EXPECT_TRUE(w.Contended(3000));
  EXPECT_EQ(w.us(), SpinWindow::kShortestUs);
}

}  // namespace
}  // namespace proclab
