/* Allocates and touches 16 MiB at a time until something stops it, saying
   how far it got after each step. With "unchecked", a failed malloc is not
   noticed: the program dies of SIGSEGV, as careless ones do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  int unchecked = argc > 1 && strcmp(argv[1], "unchecked") == 0;
  for (long mib = 16;; mib += 16) {
    char* volatile p = malloc(16 << 20);
    if (!p && !unchecked) {
      printf("malloc failed at %ld MiB\n", mib);
      return 42;
    }
    memset(p, 1, 16 << 20);
    printf("holding %ld MiB\n", mib);
    fflush(stdout);
  }
}
