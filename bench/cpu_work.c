/* CPU-bound work for bench/cpu_figures.py: WORKERS threads, each N rounds
 * of a 64-bit LCG, no syscall while they run.   cpu_work N WORKERS
 * Prints "start" before the work and "self cpu SECONDS wall SECONDS" after
 * it: the process's own CPU clock and the monotonic clock across the work,
 * read in the process, so no parent's wake-up is in the figures. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long rounds;

static void* work(void* out) {
  uint64_t x = 1;
  for (long i = 0; i < rounds; i++) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  *(volatile uint64_t*)out = x;
  return NULL;
}

static double seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  rounds = atol(argv[1]);
  int workers = atoi(argv[2]);
  if (workers < 1 || workers > 64) return 2;
  uint64_t results[64];
  pthread_t threads[64];
  printf("start\n");
  fflush(stdout);
  double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (int i = 0; i < workers; i++) pthread_create(&threads[i], NULL, work, &results[i]);
  for (int i = 0; i < workers; i++) pthread_join(threads[i], NULL);
  cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu;
  wall = seconds(CLOCK_MONOTONIC) - wall;
  printf("self cpu %.6f wall %.6f\n", cpu, wall);
  return 0;
}
