// Getting a submission ready to run: copied or unpacked once, its entry
// found (Stage), then built once in a lab (Build).
#pragma once

#include <sys/types.h>

#include <string>

#include "runner/base/error.h"
#include "runner/grade/grade_config.h"
#include "runner/grade/run_record.h"
#include "runner/grade/submissions.h"
#include "runner/os/lab_isolation.h"

namespace proclab::cli {

// When proclab is root, a grading's builds run as an account of their own
// and the programs of job slot N as slot_base + N: no run can read another's
// copy or signal its processes. The accounts are a block of kGradeUidBlock
// uids no other grading on the machine holds (os/uid_lease.h); the first
// grading's are 1899999999 (builds) and 1900000000 + N.
constexpr uid_t kFirstGradeUid = 1'899'999'999;
constexpr uid_t kGradeUidBlock = 512;  // the build's account and up to 511 job slots
constexpr int kGradeUidBlocks = 64;
struct GradeAccounts {
  int64_t build = -1;      // -1: the runner's own account (not root)
  int64_t slot_base = -1;  // -1: likewise
};

// Copies or unpacks the submission into `dir` and finds its entry.
BuildRecord Stage(const Submission& s, const GradeConfig& config, const std::string& dir);
// Builds the staged submission in `dir`, when its language has a build.
void Build(BuildRecord& p, const GradeConfig& config, const std::string& dir,
           os::Isolation isolation, int64_t build_uid);

}  // namespace proclab::cli
