#pragma once

#include <time.h>

#include <algorithm>
#include <cstdint>

namespace proclab {

// CLOCK_MONOTONIC in microseconds: every timeline time is a difference of these.
inline int64_t MonotonicUs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// A poll(2) timeout in ms until `deadline_us` (-1: no deadline): rounded up,
// so a wakeup is never early, and at most a minute, so a far deadline (a
// timeout of days) never overflows int. Past deadlines give 0.
inline int PollTimeoutMs(int64_t deadline_us, int64_t now_us) {
  if (deadline_us < 0) return -1;
  return static_cast<int>(std::clamp<int64_t>((deadline_us - now_us + 999) / 1000, 0, 60'000));
}

}  // namespace proclab
