// A Status or Result that nobody looks at is a silently dropped failure.
#include "runner/base/error.h"

proclab::Status MightFail();
proclab::Result<int> MightFailToo();

void Caller() {
#ifdef IGNORE_IT
  MightFail();
  MightFailToo();
#else
  if (!MightFail()) return;
  if (!MightFailToo()) return;
#endif
}
