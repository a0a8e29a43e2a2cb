/* A flood of 2-byte lines ("x\n"), 32768 to each 64 KiB write, for ever: the
   cost of a line to proclab must be counted, not only its bytes. */
#include <string.h>
#include <unistd.h>

int main(void) {
  static char buf[65536];
  for (size_t i = 0; i < sizeof buf; i += 2) memcpy(buf + i, "x\n", 2);
  for (;;)
    if (write(1, buf, sizeof buf) < 0) return 1;
}
