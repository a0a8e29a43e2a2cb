// Grading in shards (design.md §2.7): `grade --shard` grades a share of the
// submissions and writes, besides its gradebook, DIR/shard.json with the
// exact records of every run and build; `merge --grade` checks the shards
// and builds from them the gradebook an unsharded grading writes.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runner/base/error.h"
#include "runner/grade/gradebook.h"
#include "runner/grade/run_record.h"

namespace proclab::cli {

struct GradeShardOptions {
  std::string suite;  // FingerprintTree of the suite folder
  int repeat = 1;
  std::string policy, isolation;
  bool operator==(const GradeShardOptions&) const = default;
};

// What one shard graded: kept as the grading goes, written at the end.
class GradeShard {
 public:
  GradeShard(GradeShardOptions options, int index, int count, std::vector<std::string> all)
      : options_(std::move(options)), index_(index), count_(count), all_(std::move(all)) {}

  // As given to Gradebook::AddSubmission.
  void AddSubmission(const std::string& name, const std::string& entry, const std::string& problem,
                     const std::string& build_log);
  // One run of a pair; repeats in any order.
  void AddRun(const std::string& submission, const std::string& scenario, int attempt,
              const RunRecord& record);
  Status Write(const std::string& dir) const;

 private:
  struct Graded {
    std::string entry, problem, build_log;
    std::map<std::string, std::map<int, RunRecord>> pairs;  // scenario -> attempt -> record
  };
  GradeShardOptions options_;
  int index_, count_;
  std::vector<std::string> all_;
  std::map<std::string, Graded> graded_;
};

// Reads the shard.json of each folder (or file) in `shards`, checks them
// against each other and against `expected` (the suite's fingerprint, as the
// merge computed it), and fills `book` as an unsharded grading would have.
Status MergeGradeShards(const std::vector<std::string>& shards, const GradeShardOptions& expected,
                        Gradebook* book);
// The options the shards were run with (the first shard's), so the caller
// can build the gradebook with their --policy.
Result<GradeShardOptions> ReadGradeShardOptions(const std::string& shard);

}  // namespace proclab::cli
