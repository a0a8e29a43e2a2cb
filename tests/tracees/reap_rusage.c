/* Forks a child that burns argv[1] ms of CPU and touches argv[2] MiB;
   with argv[3] > 0 the child first forks a grandchild that burns argv[3] ms
   and reaps it. The parent reaps the child with wait4 and prints what the
   kernel said the child used (its own figures plus its reaped grandchild's):
   "child PID user_us=… system_us=… max_rss_kb=… nvcsw=… nivcsw=… minflt=… majflt=…". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "burn.h"

static void burn(long ms) { burn_cpu_ms(CLOCK_PROCESS_CPUTIME_ID, ms); }

int main(int argc, char** argv) {
  long child_ms = argc > 1 ? atol(argv[1]) : 300;
  long mib = argc > 2 ? atol(argv[2]) : 16;
  long grandchild_ms = argc > 3 ? atol(argv[3]) : 0;
  pid_t child = fork();
  if (child == 0) {
    if (grandchild_ms > 0) {
      pid_t g = fork();
      if (g == 0) {
        burn(grandchild_ms);
        _exit(0);
      }
      waitpid(g, NULL, 0);
    }
    char* p = malloc((size_t)mib << 20);
    if (p) memset(p, 1, (size_t)mib << 20);
    /* Read back, so that the compiler cannot drop the pages never read. */
    volatile char sink = p ? p[((size_t)mib << 20) - 1] : 0;
    (void)sink;
    burn(child_ms);
    _exit(p ? 0 : 1);
  }
  int status = 0;
  struct rusage ru;
  if (wait4(child, &status, 0, &ru) != child) return 2;
  printf(
      "child %d user_us=%ld system_us=%ld max_rss_kb=%ld nvcsw=%ld nivcsw=%ld minflt=%ld "
      "majflt=%ld\n",
      (int)child, (long)ru.ru_utime.tv_sec * 1000000 + (long)ru.ru_utime.tv_usec,
      (long)ru.ru_stime.tv_sec * 1000000 + (long)ru.ru_stime.tv_usec, ru.ru_maxrss, ru.ru_nvcsw,
      ru.ru_nivcsw, ru.ru_minflt, ru.ru_majflt);
  return 0;
}
