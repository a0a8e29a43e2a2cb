#include "runner/lab/process_usage.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

os::TraceStop::ExitUsage Both(int64_t user, int64_t sys, int64_t rss, int64_t nvcsw = 0,
                              int64_t minflt = 0) {
  os::TraceStop::ExitUsage u;
  u.user_us = user;
  u.system_us = sys;
  u.max_rss_kb = rss;
  u.voluntary_switches = nvcsw;
  u.minor_faults = minflt;
  return u;
}

TEST(ProcessUsage, OwnFiguresLeaveOutTheChildrenItReaped) {
  ProcessUsage child;
  child.Ended(Both(300'000, 20'000, 5000, 7, 100));
  ProcessUsage parent;
  parent.Reaped(child);
  parent.Ended(Both(500'000, 50'000, 9000, 10, 400));  // wait4: its own + the child's
  auto own = parent.Own();
  ASSERT_TRUE(own);
  EXPECT_EQ(own->user_us, 200'000);
  EXPECT_EQ(own->system_us, 30'000);
  EXPECT_EQ(own->voluntary_switches, 3);
  EXPECT_EQ(own->minor_faults, 300);
  EXPECT_EQ(own->max_rss_kb, 9000);
  EXPECT_FALSE(own->max_rss_with_children) << "its peak is above the child's: its own";
  // Negative control: a child that peaked higher makes the peak ambiguous.
  ProcessUsage big;
  big.Ended(Both(1, 1, 20000));
  ProcessUsage other;
  other.Reaped(big);
  other.Ended(Both(2, 2, 20000));
  EXPECT_TRUE(other.Own()->max_rss_with_children);
}

TEST(ProcessUsage, ThreadsAreListedAndAWidenedAffinityIsNoticed) {
  ProcessUsage p;
  os::TraceStop::ExitUsage t;
  t.thread_cpu_ns = 400'000'000;
  t.last_cpu = 1;
  t.affinity = {0, 1};
  p.TaskEnded(3, t, {0, 1});
  t.affinity = {0, 1, 2, 3};
  p.TaskEnded(4, t, {0, 1});
  EXPECT_FALSE(p.Own()) << "no figures before the process ended";
  p.Ended(Both(800'000, 0, 1000));
  auto own = p.Own();
  ASSERT_TRUE(own);
  ASSERT_EQ(own->threads.size(), 2u);
  EXPECT_EQ(own->threads[0].tid, 3);
  EXPECT_EQ(own->threads[0].cpu_us, 400'000);
  EXPECT_EQ(own->threads[0].last_cpu, 1);
  EXPECT_EQ(own->widened_to, "0-3");
  // Not pinned: nothing to widen.
  ProcessUsage free;
  free.TaskEnded(5, t, {});
  free.Ended(Both(1, 1, 1));
  EXPECT_EQ(free.Own()->widened_to, "");
}

}  // namespace
}  // namespace proclab
