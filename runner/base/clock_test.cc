#include "runner/base/clock.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

TEST(PollTimeout, RoundsUpSoAWakeupIsNeverEarly) {
  EXPECT_EQ(PollTimeoutMs(1'500, 0), 2);
  EXPECT_EQ(PollTimeoutMs(1'000, 0), 1);
  EXPECT_EQ(PollTimeoutMs(1, 0), 1);
  EXPECT_EQ(PollTimeoutMs(5'000'000, 4'000'000), 1000);
}

TEST(PollTimeout, PastDeadlinesAndNoDeadline) {
  EXPECT_EQ(PollTimeoutMs(10, 10), 0);
  EXPECT_EQ(PollTimeoutMs(10, 5'000), 0);
  EXPECT_EQ(PollTimeoutMs(-1, 5'000), -1);
}

TEST(PollTimeout, FarDeadlinesDoNotWrap) {
  // 2^32 ms and 2^31 ms away: as a plain int cast, 0 (a busy loop) and
  // negative (poll forever).
  const int64_t wraps_to_zero = int64_t{4'294'967'296} * 1000;
  const int64_t wraps_negative = int64_t{2'147'483'648} * 1000;
  EXPECT_EQ(static_cast<int>((wraps_to_zero + 999) / 1000), 0);  // the trap, shown
  EXPECT_EQ(PollTimeoutMs(wraps_to_zero, 0), 60'000);
  EXPECT_EQ(PollTimeoutMs(wraps_negative, 0), 60'000);
  EXPECT_EQ(PollTimeoutMs(INT64_MAX - 1000, 0), 60'000);
}

}  // namespace
}  // namespace proclab
