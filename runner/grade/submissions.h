// What a class handed in: each entry of a submissions folder is one
// submission, named by the entry — a folder, a single file, or a .zip or
// .tar.gz that is unpacked safely (no path outside it, no links, a size cap).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab {

struct Submission {
  std::string name;    // the entry's name without .zip/.tar.gz/.tgz
  std::string source;  // the entry as found
  bool archive = false;
  bool single_file = false;
};

// The submissions under each folder, sorted by name. Names must be unique
// across the folders; hidden entries (.git, .DS_Store) are skipped.
Result<std::vector<Submission>> FindSubmissions(const std::vector<std::string>& folders);

// Unpacks `archive` into the empty folder `into`. Refuses absolute paths,
// `..`, links and devices, and stops at `max_bytes` in all.
Status Unpack(const std::string& archive, const std::string& into, int64_t max_bytes);

// The entry inside `folder`: the first glob that matches exactly one file
// (searched recursively, relative paths, hidden folders skipped). Errors say
// which globs matched several files, or that nothing matched.
Result<std::string> FindEntry(const std::string& folder, const std::vector<std::string>& globs);

}  // namespace proclab
