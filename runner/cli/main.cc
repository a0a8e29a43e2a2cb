#include "runner/cli/app.h"

#include <sys/prctl.h>

int main(int argc, char** argv) {
  // Not dumpable: a program in a lab without a PID namespace, running as the
  // same user, must not read or write proclab's memory (process_vm_*, ptrace).
  prctl(PR_SET_DUMPABLE, 0);
  return proclab::cli::Main(argc, argv);
}
