// What the lab saw of the files a run leaves, when it ends (after every
// process is gone): the entries each `files:` expectation's path matched in
// the run's folder, and the new entries the run's user left in the shared,
// world-writable folders. The judge reads these facts only; the lab gathers
// them (lab/file_watch.h), with caps on what it reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace proclab {

struct FileEntry {
  std::string path;      // relative to the run's folder ("logs/a.log")
  std::string kind;      // "file", "folder", "symlink", "fifo", "socket", "device"
  int64_t size = 0;      // a file's bytes
  bool written = false;  // created or changed during the run
  // A file's first bytes, read when a `match:` asked for its lines.
  std::optional<std::string> text;
  bool text_cut = false;  // text holds only the first bytes: the file is longer
  std::string unread;     // why text is missing although it was asked for
};

struct FileFacts {
  std::string pattern;             // the expectation's path, normalized (file_path.h)
  int64_t matched = 0;             // entries that matched; more than entries.size() past the cap
  bool capped = false;             // the lab stopped looking: too many entries to scan
  std::vector<FileEntry> entries;  // in path order
  std::vector<std::string> gone;   // matched before the run started, not after it
  // When nothing matched: the folder the path leads into, as far as it exists.
  std::string folder;                // relative; "" is the run's folder itself
  std::string missing;               // the first part of the path that is not a folder there
  std::vector<std::string> listing;  // the folder's names, sorted, up to a cap
  int64_t listing_total = 0;         // how many names it has
};

struct LeftEntry {
  std::string path;      // absolute: "/tmp/fifo-1234"
  std::string kind;      // as FileEntry::kind
  int64_t size = 0;      // a file's bytes
  int64_t entries = 0;   // a folder's names
  bool removed = false;  // the lab removed it (the run's uid was its own)
  std::string error;     // why removing it failed
};

// What the run left outside its folder. Present when the lab looked.
struct LeftOutside {
  std::vector<std::string> watched;  // the folders looked at ("/tmp", …)
  std::vector<LeftEntry> entries;    // in path order, up to a cap
  int64_t total = 0;                 // how many were left; more than entries.size() past the cap
  std::string note;                  // what could not be watched, and why
};

nlohmann::json FileFactsToJson(const FileFacts& f);
FileFacts FileFactsFromJson(const nlohmann::json& j);
nlohmann::json LeftOutsideToJson(const LeftOutside& l);
LeftOutside LeftOutsideFromJson(const nlohmann::json& j);

}  // namespace proclab
