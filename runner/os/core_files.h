// Core dumps that land in the dumping process's working folder (core(5)):
// the names they take there, which of those a folder already has, and
// finding the ones a run made.
//
// Kernel quirk that matters: a dump into a folder first unlinks whatever
// has its name there, whoever owns it, if the folder lets the dumper unlink
// it (fs/coredump.c; seen on 6.18: a root-owned "core" in a folder nobody
// may write became nobody's dump), then creates the file with O_EXCL. So a
// dump replaces a user's own file called "core".
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab::os {

// Where dumps go, from core_pattern and core_uses_pid.
struct CoreNames {
  enum class Place {
    kFolder,     // the dumping process's working folder, named as `regex` says
    kElsewhere,  // a pipe to a helper ("|..."), an absolute path, or nowhere
    kSubFolder,  // a relative path with a '/': below the working folder
  };
  Place place = Place::kElsewhere;
  std::string pattern;  // core_pattern as read
  std::string regex;    // kFolder: what a whole name matches (ECMAScript)
};
// A %-specifier matches digits or any text, as it expands; ".PID" follows
// when `uses_pid` is set and the pattern has no %p.
CoreNames CoreNamesFor(std::string core_pattern, bool uses_pid);
// This host's (/proc/sys/kernel/core_pattern, core_uses_pid).
CoreNames HostCoreNames();

// The entries of `dir` a dump could replace: of any kind (a symbolic link
// is replaced too), sorted.
Result<std::vector<std::string>> CoreNamesIn(const std::string& dir, const CoreNames& names);

// A core file a process of the run dumped in `dir`.
struct CoreFile {
  std::string path;
  pid_t pid = 0;  // whose, when the name ends in ".PID" of one of `pids`
  int64_t bytes = 0;
};
// Finds, removes and returns the dumps in `dir`: regular files named as
// `names` says, owned by `owner`, made since `since` (seconds of the wall
// clock). Nothing else is touched; a symbolic link is never followed.
std::vector<CoreFile> FindCores(const std::string& dir, const CoreNames& names,
                                const std::vector<pid_t>& pids, uid_t owner, int64_t since);

}  // namespace proclab::os
