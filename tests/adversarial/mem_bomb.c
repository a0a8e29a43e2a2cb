/* Allocates and touches 16 MiB at a time until something stops it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  for (long mib = 16;; mib += 16) {
    char* p = malloc(16 << 20);
    if (!p) {
      printf("malloc failed at %ld MiB\n", mib);
      return 42;
    }
    memset(p, 1, 16 << 20);
  }
}
