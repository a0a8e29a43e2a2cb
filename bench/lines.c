// argv[1] (default 250000) short lines on stdout, one write each: as many
// output events in proclab's timeline.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 250000;
  char buf[32];
  for (long i = 0; i < n; ++i) {
    int len = snprintf(buf, sizeof buf, "line %ld\n", i);
    if (write(1, buf, (size_t)len) != len) return 1;
  }
  return 0;
}
