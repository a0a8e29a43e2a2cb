// A non-leader thread calls exec: the kernel gives it the leader's pid.
#include <pthread.h>
#include <unistd.h>

static void* run(void* arg) {
  (void)arg;
  execl("/bin/echo", "echo", "exec from a thread", (char*)NULL);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, run, NULL);
  for (;;) pause();
}
