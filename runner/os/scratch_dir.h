// A private, empty directory for one run: the program's HOME and TMPDIR.
// Owned by the program's uid; removed (without following symlinks) at the end.
#pragma once

#include <sys/types.h>

#include <string>

#include "runner/base/error.h"

namespace proclab::os {

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
