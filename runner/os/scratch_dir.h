// A private, empty directory for one run: the program's HOME and TMPDIR.
// Owned by the program's uid; removed (without following symlinks) at the end.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab::os {

// A core file a process of the run dumped in `dir`.
struct CoreFile {
  std::string path;
  pid_t pid = 0;  // whose, when the name says ("core.PID"); 0 for plain "core"
  int64_t bytes = 0;
};
// Finds, removes and returns the core files in `dir` named "core" or
// "core.PID" (PID one of `pids`), owned by `owner` and made since `since`
// (seconds of the wall clock). Nothing else is touched.
std::vector<CoreFile> FindCores(const std::string& dir, const std::vector<pid_t>& pids, uid_t owner,
                                int64_t since);

class ScratchDir {
 public:
  static Result<ScratchDir> Create(uid_t owner, gid_t group);
  // Takes over a folder Create made in another process (a lab that died
  // before removing it); nothing but such a folder is taken.
  static ScratchDir Adopt(const std::string& path);
  ScratchDir() = default;
  ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchDir& operator=(ScratchDir&& other) noexcept;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() { Remove(); }

  [[nodiscard]] const std::string& path() const { return path_; }
  void Remove();

 private:
  std::string path_;
};

}  // namespace proclab::os
