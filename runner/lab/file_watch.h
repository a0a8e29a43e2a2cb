// What `files:` expectations need from the lab: a look at the run's folder
// and at the shared folders before the program starts, and another once
// every process is gone, turned into the facts the judge reads
// (timeline/file_facts.h). Caps bound what one run can make the lab read.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/lab/lab_config.h"
#include "runner/os/shared_folders.h"
#include "runner/os/unique_fd.h"
#include "runner/timeline/file_facts.h"

namespace proclab {

class FileWatch {
 public:
  static constexpr int64_t kTextPerFile = 256 << 10;  // first bytes read of a file
  static constexpr int64_t kTextPerRun = 1 << 20;     // of all files together
  static constexpr size_t kEntriesPerPath = 1000;     // entries recorded per path
  static constexpr size_t kNamesScanned = 100000;     // folder names looked at per path
  static constexpr size_t kLeftListed = 100;          // entries left outside, recorded

  struct Options {
    std::string cwd;  // the run's folder; empty: the lab's own
    std::vector<LabConfig::WatchedPath> paths;
    bool outside = false;      // watch the shared folders
    bool remove_left = false;  // and remove what the run left there
    uid_t uid = 0;             // the programs' user
    gid_t gid = 0;
    bool as_program = false;          // read files only as far as that user could
    std::vector<std::string> ignore;  // paths in the shared folders that are the lab's own
    std::vector<std::string> shared = os::SharedWritableFolders();
  };

  // The "before" look. The run's folder is opened now and kept open, so a
  // program that renames or replaces it cannot point the lab elsewhere.
  static Result<FileWatch> Start(Options options);
  FileWatch() = default;

  // The "after" look, once every process is gone.
  void Finish(std::vector<FileFacts>* files, std::optional<LeftOutside>* left);

 private:
  struct Signature {
    uint64_t dev = 0, ino = 0;
    int64_t size = 0, mtime_ns = 0, ctime_ns = 0;
    bool operator==(const Signature&) const = default;
  };
  Options options_;
  os::UniqueFd cwd_;
  std::map<std::string, std::map<std::string, Signature>> before_;  // pattern → path → what it was
  std::optional<os::SharedFolderWatch> shared_;
};

}  // namespace proclab
