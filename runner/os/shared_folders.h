// The shared, world-writable folders (/tmp, /var/tmp, /dev/shm, /run/lock),
// where a program can leave files that outlive its run and reach the next
// one. The lab lists their entries before the program starts and again once
// every process is gone: a new entry owned by the programs' uid is what the
// run left there. Only the top level is compared; a folder left there is one
// entry, with all it holds.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runner/base/error.h"

namespace proclab::os {

// Those of /tmp, /var/tmp, /dev/shm and /run/lock that are folders here.
std::vector<std::string> SharedWritableFolders();

// Folders proclab itself makes in /tmp, for this or another run going on at
// the same time (a lab's HOME, a grading copy, the C compile cache); never
// counted as a program's.
bool IsProclabFolderName(const std::string& name);

struct LeftBehind {
  std::string path;  // absolute
  mode_t mode = 0;
  int64_t size = 0;     // a file's bytes
  int64_t entries = 0;  // a folder's names (up to a cap)
};

class SharedFolderWatch {
 public:
  // Lists the entries of each folder now. A folder with more than `cap`
  // entries is not watched (note() says so).
  static SharedFolderWatch Start(std::vector<std::string> folders, size_t cap = 200000);
  SharedFolderWatch() = default;

  // The entries that are new since Start (by name and inode), owned by `uid`,
  // neither in `ignore` (absolute paths) nor proclab's own. At most `max` are
  // returned; `total` receives how many there are.
  std::vector<LeftBehind> NewEntries(uid_t uid, const std::vector<std::string>& ignore, size_t max,
                                     int64_t* total) const;

  [[nodiscard]] const std::vector<std::string>& folders() const { return folders_; }
  [[nodiscard]] const std::string& note() const { return note_; }

 private:
  std::vector<std::string> folders_;
  std::map<std::string, std::set<std::pair<std::string, uint64_t>>> before_;
  size_t cap_ = 0;
  std::string note_;
};

// Removes `path` and, when it is a folder, everything in it: never following
// a symbolic link, never leaving the file system `path` is on. Folders more
// than 256 levels down are moved up into `path` first, and removed from there.
Status RemoveTree(const std::string& path);

}  // namespace proclab::os
