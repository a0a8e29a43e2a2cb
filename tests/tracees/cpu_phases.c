/* CPU-bound phases, each announced on stdout: "serial" (the main thread
   burns argv[1] ms), "threads" (2 threads burn argv[1] ms each), "processes"
   (2 children burn argv[1] ms each; reaped), then "done". */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "burn.h"

static long burn_ms = 300;

static void* burn(void* arg) {
  burn_cpu_ms(CLOCK_THREAD_CPUTIME_ID, burn_ms);
  return arg;
}

static void say(const char* what) {
  printf("%s\n", what);
  fflush(stdout);
}

int main(int argc, char** argv) {
  if (argc > 1) burn_ms = atol(argv[1]);
  say("serial");
  burn(NULL);
  say("threads");
  pthread_t a, b;
  pthread_create(&a, NULL, burn, NULL);
  pthread_create(&b, NULL, burn, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  say("processes");
  for (int i = 0; i < 2; ++i)
    if (fork() == 0) {
      burn(NULL);
      _exit(0);
    }
  while (wait(NULL) > 0) {
  }
  say("done");
  return 0;
}
