/* CPU-bound work for bench/cpu_figures.py: WORKERS threads, each N rounds
 * of a 64-bit LCG, no syscall while they run.   cpu_work N WORKERS */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

static long rounds;

static void* work(void* out) {
  uint64_t x = 1;
  for (long i = 0; i < rounds; i++) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  *(volatile uint64_t*)out = x;
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  rounds = atol(argv[1]);
  int workers = atoi(argv[2]);
  if (workers < 1 || workers > 64) return 2;
  uint64_t results[64];
  pthread_t threads[64];
  for (int i = 0; i < workers; i++) pthread_create(&threads[i], NULL, work, &results[i]);
  for (int i = 0; i < workers; i++) pthread_join(threads[i], NULL);
  return 0;
}
