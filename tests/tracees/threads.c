// Two threads, then one child process: the timeline must tell them apart.
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static void* work(void* arg) {
  usleep(20000);
  return arg;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, NULL, 0);
  return 0;
}
