// Resuming a grading (design.md §2.6): a grading into `--out DIR` keeps what
// it ran in DIR/.cache (grade/grade_cache.h), and the next one into the same
// DIR reuses every build and every (submission, scenario) pair whose inputs
// have not changed (grade/grade_keys.h). `--force` reuses nothing but still
// stores. A cache that cannot be read or written never stops a grading: what
// it cannot give is run, with a notice on stderr.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runner/grade/grade_cache.h"
#include "runner/grade/grade_keys.h"
#include "runner/grade/run_record.h"
#include "runner/scenario/scenario.h"

namespace proclab::cli {

class GradeResume {
 public:
  struct Options {
    std::string out;  // --out; empty: no cache at all
    bool force = false;
    int repeat = 1;
    std::string isolation;
  };
  GradeResume(const Options& options, const std::string& suite,
              const std::vector<Scenario>& scenarios);

  // A submission staged in `dir` (copied or unpacked, before its build).
  void Staged(const std::string& submission, const std::string& dir);
  // Its build from an earlier grading, if that can be trusted.
  std::optional<BuildRecord> ReuseBuild(const std::string& submission);
  void StoreBuild(const std::string& submission, const BuildRecord& build);
  // The runs of a pair from an earlier grading; otherwise the pair will run,
  // and its runs are stored as they come in (OnRun).
  std::optional<std::vector<RunRecord>> ReusePair(const std::string& submission,
                                                  const std::string& scenario);
  // A run finished. Once all `repeat` runs of its pair are in, the pair is
  // stored, unless one was cancelled or failed for proclab's own reasons.
  void OnRun(const ScenarioResult& r, const RunRecord& record);

  // Before the runs: "30 submissions × 4 scenarios: 116 reused from a
  // previous run, 4 to run (--force redoes them)" when something was reused
  // or --force given, and a notice for entries of another proclab build.
  void Announce(size_t submissions, size_t scenarios, size_t reused, size_t to_run) const;
  // At the end: notices of what could not be stored; after a grading that
  // ran to its end, entries this grading did not use are removed.
  void Finish(bool interrupted);

 private:
  using PairId = std::pair<std::string, std::string>;  // submission, scenario
  std::optional<std::string> Load(const std::string& key, const std::string& what);
  void Store(const std::string& key, const std::string& payload);

  std::optional<GradeCache> cache_;
  std::optional<GradeKeys> keys_;
  bool force_ = false;
  int repeat_ = 1;
  std::map<std::string, std::string> scenario_files_;  // scenario -> its file's fingerprint
  std::map<std::string, std::string> submission_files_;
  std::map<PairId, std::string> pending_;  // pairs to run -> key
  struct Runs {
    std::vector<RunRecord> records;
    bool spoiled = false;
  };
  std::map<PairId, Runs> arriving_;
  std::set<std::string> used_;  // keys reused or stored
  size_t foreign_ = 0, store_failures_ = 0;
  std::string foreign_why_, store_error_;
};

}  // namespace proclab::cli
