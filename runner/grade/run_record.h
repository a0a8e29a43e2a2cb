// What the gradebook keeps of one finished run: its score, the flags it
// raised and the notes for the student. Nothing else of a run reaches the
// gradebook's files, so a record is also what a resumed grading reuses
// (grade_cache.h): a gradebook built from records is the one built from runs.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/grade/scoring.h"
#include "runner/results/scenario_result.h"

namespace proclab {

struct RunRecord {
  RunScore score;
  std::set<std::string> flags;     // crashed, timeout, limit
  std::vector<std::string> notes;  // a crash's last stderr lines, or the run's error

  bool operator==(const RunRecord&) const = default;
};

// What the gradebook keeps of a submission's preparation: the entry found,
// and why nothing could run (no entry, a refused archive, a failed build and
// what it printed).
struct BuildRecord {
  std::string entry;
  std::string problem;
  std::string build_log;

  bool operator==(const BuildRecord&) const = default;
};

// Notes on how processes ended badly, for a student: "main (pid 2) exited
// with code 1; the last lines it wrote on stderr: …".
std::vector<std::string> CrashNotes(const Timeline& t);

// One run of a scenario worth `max` points.
RunRecord RecordRun(const ScenarioResult& r, double max);

// The records of one (submission, scenario) pair, or of a build, as JSON
// text, and back.
// Exact: doubles round-trip, and text that is not UTF-8 (a program's raw
// bytes) is kept as hex. Decoding checks every field's type.
std::string EncodeRecords(const std::vector<RunRecord>& records);
Result<std::vector<RunRecord>> DecodeRecords(const std::string& text);
std::string EncodeBuild(const BuildRecord& build);
Result<BuildRecord> DecodeBuild(const std::string& text);

}  // namespace proclab
