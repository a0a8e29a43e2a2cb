#pragma once

#include <time.h>

#include <cstdint>

namespace proclab {

// CLOCK_MONOTONIC in microseconds: every timeline time is a difference of these.
inline int64_t MonotonicUs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace proclab
