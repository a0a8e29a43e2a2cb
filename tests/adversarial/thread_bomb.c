/* A thread bomb: creates threads that sleep for ever, as fast as it can, and
   keeps trying when the system says no. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void* sleeper(void* arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

int main(void) {
  long made = 0, refused = 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  for (;;) {
    pthread_t t;
    int err = pthread_create(&t, &attr, sleeper, NULL);
    if (err == 0) {
      ++made;
      continue;
    }
    if (++refused % 1000 == 1) {
      printf("%ld threads, then: %s\n", made, err == EAGAIN ? "EAGAIN" : "other error");
      fflush(stdout);
    }
    struct timespec ts = {0, 100000};
    nanosleep(&ts, NULL);
  }
}
