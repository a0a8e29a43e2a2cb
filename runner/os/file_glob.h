// Matching a `files:` path in a run's folder, as the lab does before the
// program starts and once every process is gone. Every step is taken from an
// open folder without following a symbolic link (openat with O_NOFOLLOW,
// fstatat with AT_SYMLINK_NOFOLLOW): a program cannot lead the lab, which may
// be root, out of its folder with a link. A file's text is read only when the
// program's own user could have read it, and only up to the caps.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace proclab::os {

struct FoundEntry {
  std::string path;  // relative to the folder searched
  mode_t mode = 0;
  int64_t size = 0;
  uint64_t dev = 0, ino = 0;
  int64_t mtime_ns = 0, ctime_ns = 0;
  std::optional<std::string> head;  // its first bytes, when asked and allowed
  bool head_cut = false;            // the file has more than `head`
  std::string unread;               // why `head` is missing although it was asked for
};

struct GlobOptions {
  size_t max_entries = 1000;       // entries recorded (the count goes on)
  size_t max_scanned = 100000;     // names looked at in folders, in all
  size_t max_listed = 50;          // names listed of the folder when nothing matched
  int64_t read_bytes = 0;          // per file: how much of its text to read (0: none)
  int64_t* read_budget = nullptr;  // bytes left to read across calls (nullptr: no such cap)
  // Whose eyes: a file is read only when this uid (or gid) may read it by its
  // mode. Unset: whatever the lab itself may open.
  std::optional<uid_t> reader_uid;
  gid_t reader_gid = 0;
};

struct GlobResult {
  std::vector<FoundEntry> entries;  // in path order
  int64_t matched = 0;
  bool capped = false;  // max_scanned was reached: there may be more
  // When nothing matched: the folder the path leads into, as far as it goes.
  std::string folder;                // relative; "" is the folder searched
  std::string missing;               // the part of the path that is not a folder there
  std::vector<std::string> listing;  // its names, sorted, up to max_listed
  int64_t listing_total = 0;
};

// `pattern`: parts separated by '/', each a name or an fnmatch(3) pattern
// (a leading '.' is matched only explicitly, as in the shell). No part is
// empty, "." or "..": the reader refused those (scenario/file_path.h).
GlobResult GlobAt(int dirfd, const std::string& pattern, const GlobOptions& options);

// "file", "folder", "symlink", "fifo", "socket", "device".
std::string KindOfMode(mode_t mode);

}  // namespace proclab::os
