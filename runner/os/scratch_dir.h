// A private, empty directory for one run: the program's HOME and TMPDIR.
//
// Layout: /tmp/proclab-XXXXXX (the lab's own, mode 0711) holds the marker
// file `made-by-proclab` and `home` (the program's uid, mode 0700), which is
// HOME. The program can neither forge nor remove the marker nor move its
// HOME out, and sees an empty HOME.
//
// Who owns it: the lab holds an flock on the outer folder for as long as it
// lives. A marked folder that nobody holds was left by a lab that died
// (SIGKILLed, or with its proclab): the next proclab removes it. A lock, not
// a pid: the lab is pid 1 of its own namespace, proclab itself may run in a
// pid namespace that shares /tmp with others, and pids are reused.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {

class ScratchDir {
 public:
  // Makes the folder in `parent` (/tmp; another folder only in tests).
  static Result<ScratchDir> Create(uid_t owner, gid_t group, const std::string& parent = "/tmp");
  ScratchDir() = default;
  ScratchDir(ScratchDir&& other) noexcept;
  ScratchDir& operator=(ScratchDir&& other) noexcept;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() { Remove(); }

  // HOME: what the program gets.
  [[nodiscard]] const std::string& path() const { return path_; }
  // The folder in /tmp that holds it, and what Remove removes.
  [[nodiscard]] const std::string& top() const { return top_; }
  // Removes it all without following a symbolic link, then lets go of it.
  void Remove();

 private:
  std::string top_;
  std::string path_;
  UniqueFd lock_;  // the outer folder, flock'ed
};

// Removes `top` if it is a folder ScratchDir::Create made (as this user)
// that no lab holds any more, waiting up to `wait_us` for a lab that holds
// it to let go; anything else is left alone. True if removed.
bool RemoveAbandonedScratchDir(const std::string& top, int64_t wait_us = 0);
// Removes every such folder in `parent` and returns their paths.
std::vector<std::string> RemoveAbandonedScratchDirs(const std::string& parent = "/tmp");

}  // namespace proclab::os
