// Ends as argv[1] says: "code N" exits N; "signal N" kills itself with N;
// "abort" aborts with core dumps enabled (in a directory it may write).
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  if (strcmp(argv[1], "code") == 0) return atoi(argv[2]);
  if (strcmp(argv[1], "signal") == 0) {
    kill(getpid(), atoi(argv[2]));
    pause();
  }
  if (strcmp(argv[1], "abort") == 0) {
    struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_CORE, &unlimited);
    if (chdir(getenv("TMPDIR")) != 0) return 3;
    abort();
  }
  return 2;
}
