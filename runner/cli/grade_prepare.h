// Getting a submission ready to run: copied or unpacked once, its entry
// found (Stage), then built once in a lab (Build).
#pragma once

#include <string>

#include "runner/base/error.h"
#include "runner/grade/grade_config.h"
#include "runner/grade/run_record.h"
#include "runner/grade/submissions.h"
#include "runner/os/lab_isolation.h"

namespace proclab::cli {

// Programs of job slot N run as this uid + N when proclab is root: accounts
// of their own, so no run can read another's copy or signal its processes.
// The build uses the uid just below.
constexpr int64_t kSlotUidBase = 1'900'000'000;
constexpr int64_t kBuildUid = kSlotUidBase - 1;

// Copies or unpacks the submission into `dir` and finds its entry.
BuildRecord Stage(const Submission& s, const GradeConfig& config, const std::string& dir);
// Builds the staged submission in `dir`, when its language has a build.
void Build(BuildRecord& p, const GradeConfig& config, const std::string& dir,
           os::Isolation isolation);

}  // namespace proclab::cli
