// Prints one line on stdout and one on stderr, exits 0.
#include <stdio.h>

int main(void) {
  printf("hello\n");
  fflush(stdout);
  fprintf(stderr, "to stderr\n");
  return 0;
}
