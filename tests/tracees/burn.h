/* CPU-bound work for the programs under test: spins until `clock` (the
   thread's or the process's CPU clock) has advanced `ms` milliseconds, so
   the CPU it uses is the same however busy the machine is. */
#pragma once

#include <time.h>

static inline void burn_cpu_ms(clockid_t clock, long ms) {
  struct timespec start, now;
  clock_gettime(clock, &start);
  volatile unsigned long n = 0;
  do {
    for (int i = 0; i < 100000; ++i) ++n;
    clock_gettime(clock, &now);
  } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
}
