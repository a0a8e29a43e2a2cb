/* Two threads each burn argv[1] ms of CPU (default 600); then the process
   says "burnt" and sleeps argv[2] ms (default 0) before exiting 0. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../tracees/burn.h"

static long burn_ms;

static void* burn(void* arg) {
  burn_cpu_ms(CLOCK_THREAD_CPUTIME_ID, burn_ms);
  return arg;
}

int main(int argc, char** argv) {
  burn_ms = argc > 1 ? atol(argv[1]) : 600;
  long rest_ms = argc > 2 ? atol(argv[2]) : 0;
  pthread_t a, b;
  pthread_create(&a, NULL, burn, NULL);
  pthread_create(&b, NULL, burn, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("burnt\n");
  fflush(stdout);
  usleep(rest_ms * 1000);
  return 0;
}
