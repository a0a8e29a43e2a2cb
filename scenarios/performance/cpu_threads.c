/* The course's timing table in C: the same CPU-bound work done serially, by
 * WORKERS pthreads, then by WORKERS forked processes, each phase announced on
 * stdout ("== serial", "== threads", "== processes", "== done").
 *
 *     cpu_threads N WORKERS
 *
 * Each worker runs N rounds of a 64-bit LCG. C has no GIL: its threads run
 * on as many CPUs as they are given, like the processes. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static long rounds;

static void* work(void* out) {
  uint64_t x = 1;
  for (long i = 0; i < rounds; i++) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  *(volatile uint64_t*)out = x; /* the result is used: the loop stays */
  return NULL;
}

static void announce(const char* phase) {
  printf("== %s\n", phase);
  fflush(stdout);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: cpu_threads N WORKERS\n");
    return 2;
  }
  rounds = atol(argv[1]);
  int workers = atoi(argv[2]);
  if (workers < 1 || workers > 64) return 2;
  uint64_t results[64];
  pthread_t threads[64];

  announce("serial");
  for (int i = 0; i < workers; i++) work(&results[i]);

  announce("threads");
  for (int i = 0; i < workers; i++) pthread_create(&threads[i], NULL, work, &results[i]);
  for (int i = 0; i < workers; i++) pthread_join(threads[i], NULL);

  announce("processes");
  for (int i = 0; i < workers; i++)
    if (fork() == 0) {
      work(&results[i]);
      _exit(0);
    }
  while (wait(NULL) > 0) {
  }
  announce("done");
  return 0;
}
