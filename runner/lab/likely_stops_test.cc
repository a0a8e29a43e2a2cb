#include "runner/lab/likely_stops.h"

#include <gtest/gtest.h>

#include <vector>

namespace proclab {
namespace {

using os::StopKind;
using os::TraceStop;

TraceStop Stop(pid_t tid, StopKind kind, unsigned long msg = 0, pid_t ppid = 0) {
  TraceStop s;
  s.tid = tid;
  s.kind = kind;
  s.msg = msg;
  if (ppid) s.ppid = ppid;
  return s;
}

std::vector<pid_t> Asked(LikelyStops& likely) {
  auto span = likely.tids();
  return {span.begin(), span.end()};
}

TEST(LikelyStops, TheTaskJustRestartedItsNewChildAndADeadTasksParentComeFirst) {
  LikelyStops likely;
  EXPECT_TRUE(Asked(likely).empty());
  likely.After(Stop(10, StopKind::kSeccompStop));
  EXPECT_EQ(Asked(likely), (std::vector<pid_t>{10}));
  likely.After(Stop(10, StopKind::kForkEvent, /*msg=*/11));
  EXPECT_EQ(Asked(likely), (std::vector<pid_t>{11, 10}));
  // The child exits: it is asked about no more, and its parent is first.
  likely.After(Stop(11, StopKind::kExited, 0, /*ppid=*/10));
  EXPECT_EQ(Asked(likely), (std::vector<pid_t>{10}));
  // Negative control: a stop of a task not yet known puts it first, and the
  // oldest of five drops out.
  for (pid_t tid : {20, 21, 22, 23}) likely.After(Stop(tid, StopKind::kSeccompStop));
  EXPECT_EQ(Asked(likely), (std::vector<pid_t>{23, 22, 21, 20}));
  likely.After(Stop(21, StopKind::kSeccompStop));
  EXPECT_EQ(Asked(likely), (std::vector<pid_t>{21, 23, 22, 20}));
}

}  // namespace
}  // namespace proclab
