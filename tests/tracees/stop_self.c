// Stops itself with SIGSTOP and never continues: only the timeout ends it.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("stopping\n");
  fflush(stdout);
  raise(SIGSTOP);
  printf("continued\n");
  return 0;
}
