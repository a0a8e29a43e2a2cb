// The keys of a resumable grading (design.md §2.6). A (submission, scenario)
// pair's key is a fingerprint of everything its result depends on: the
// submission's files, the scenario's file, the rest of the suite (grade.yaml,
// programs and data a scenario may name), and the options that change a run.
// A build's key covers what a build depends on: the submission's files,
// grade.yaml and the isolation. proclab's own build is not in the keys: the
// cache's entries carry it (grade_cache.h), so an entry of another build is
// found, reported and replaced rather than left behind.
#pragma once

#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab {

// A fingerprint (FNV-1a, base/fnv_hash.h) of a folder or a file: each
// entry's path relative to `path`, its kind (file, folder, link), whether it
// is executable, and its bytes (a link's target), in sorted order. Times,
// owners and other mode bits do not count: a copy or a fresh unpacking of the
// same files has the same fingerprint. Entries under `skip` (paths as
// std::filesystem::weakly_canonical gives them) are left out.
Result<std::string> FingerprintTree(const std::string& path,
                                    const std::vector<std::string>& skip = {});

class GradeKeys {
 public:
  // `suite`: the suite folder's fingerprint without its scenario files;
  // `grade_yaml`: grade.yaml's; `repeat` and `isolation` as given to grade.
  GradeKeys(std::string suite, std::string grade_yaml, int repeat, std::string isolation);

  // `files`: the submission's fingerprint, after unpacking, before the build.
  [[nodiscard]] std::string Build(const std::string& submission, const std::string& files) const;
  [[nodiscard]] std::string Pair(const std::string& submission, const std::string& files,
                                 const std::string& scenario,
                                 const std::string& scenario_file) const;

 private:
  std::string suite_, grade_yaml_, isolation_;
  int repeat_;
};

}  // namespace proclab
