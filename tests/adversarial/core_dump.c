/* Raises its own core file limit as far as it may, then aborts in its
   working directory (the caller's, under `trace`). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

int main(void) {
  struct rlimit core;
  getrlimit(RLIMIT_CORE, &core);
  core.rlim_cur = core.rlim_max;
  if (setrlimit(RLIMIT_CORE, &core) != 0) perror("setrlimit");
  struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
  if (setrlimit(RLIMIT_CORE, &unlimited) != 0) perror("setrlimit(unlimited)");
  getrlimit(RLIMIT_CORE, &core);
  printf("core limit %s\n", core.rlim_cur == 0 ? "0" : "raised");
  fflush(stdout);
  abort();
}
