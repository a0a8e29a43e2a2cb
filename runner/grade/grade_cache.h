// The cache of a resumable grading (design.md §2.6): `--out DIR/.cache/`,
// one file per entry, named KEY.entry (grade_keys.h). An entry is a header
// line, "proclab-grade-cache 1 IDENTITY KEY CHECK", then its payload (JSON
// text): IDENTITY is the proclab build that wrote it (os/build_identity.h),
// CHECK the payload's FNV-1a. Each entry is written whole to a temporary
// file and renamed into place, so an interrupted grading leaves only whole
// entries. An entry that cannot be trusted is never used: the caller reruns
// what it held.
#pragma once

#include <set>
#include <string>

#include "runner/base/error.h"

namespace proclab {

class GradeCache {
 public:
  GradeCache(std::string dir, std::string identity);

  // Creates the folder. On an error nothing can be stored.
  Status Open() const;

  struct Found {
    enum Kind {
      kAbsent,   // no entry
      kHit,      // `payload` is what was stored
      kForeign,  // written by another build of proclab (or cache format)
      kDamaged,  // unreadable, truncated, changed, or not an entry at all
    } kind = kAbsent;
    std::string payload;
    std::string why;  // for kForeign and kDamaged
  };
  [[nodiscard]] Found Load(const std::string& key) const;
  Status Store(const std::string& key, const std::string& payload) const;

  // Removes the entries whose key is not in `keep`, and temporary files that
  // an interrupted write left behind. Other files are not touched.
  void Prune(const std::set<std::string>& keep) const;

  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::string PathOf(const std::string& key) const;

 private:
  std::string dir_;
  std::string identity_;
};

}  // namespace proclab
