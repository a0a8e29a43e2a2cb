// The command line (docs/design.md §2). Exit status: 0 passed, 1 failed, 2 bad
// usage or invalid input, 3 proclab itself failed; `trace` returns the traced
// program's status instead of 0/1.
#pragma once

namespace proclab::cli {

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 3;
// trace passes the program's status through, so its own need room, as the
// wrappers env, timeout and nice keep it.
constexpr int kTraceFailed = 125;
constexpr int kTraceCannotRun = 126;
constexpr int kTraceNotFound = 127;

int Main(int argc, char** argv);

}  // namespace proclab::cli
