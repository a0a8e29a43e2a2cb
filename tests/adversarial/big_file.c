/* Writes 1 GiB to a file in its working directory. */
#include <stdio.h>
#include <string.h>

int main(void) {
  static char block[1 << 20];
  memset(block, 'x', sizeof block);
  FILE* f = fopen("big.out", "w");
  if (!f) return 1;
  for (int i = 0; i < 1024; ++i)
    if (fwrite(block, 1, sizeof block, f) != sizeof block) {
      printf("write failed after %d MiB\n", i);
      return 3;
    }
  fclose(f);
  return 0;
}
