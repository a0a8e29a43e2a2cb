/* Writes 1 GiB to big.out in its working directory. With "ignore-sigxfsz",
   SIGXFSZ is ignored first, so a write past the file size limit fails with
   EFBIG instead of killing it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  static char block[1 << 20];
  if (argc > 1 && strcmp(argv[1], "ignore-sigxfsz") == 0) signal(SIGXFSZ, SIG_IGN);
  memset(block, 'x', sizeof block);
  FILE* f = fopen("big.out", "w");
  if (!f) return 1;
  setvbuf(f, NULL, _IONBF, 0);
  for (int i = 0; i < 1024; ++i)
    if (fwrite(block, 1, sizeof block, f) != sizeof block) {
      printf("write failed after %d MiB: %s\n", i, errno == EFBIG ? "EFBIG" : strerror(errno));
      return 3;
    }
  fclose(f);
  return 0;
}
