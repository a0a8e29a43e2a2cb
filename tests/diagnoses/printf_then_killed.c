/* printf without fflush, then killed by SIGINT: through a pipe stdout is
   block-buffered, and the line dies with the process. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("到站了\n");
  pause();
  return 0;
}
