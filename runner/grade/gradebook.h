// A graded class and the files a teacher and the students get from it
// (docs/grading.md): grades.csv, results.json, SUBMISSION/feedback.md and
// summary.md. Built as runs finish; no timeline is kept.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/grade/grade_config.h"
#include "runner/grade/run_record.h"
#include "runner/grade/scoring.h"
#include "runner/results/scenario_result.h"

namespace proclab {

struct ScenarioGrade {
  std::string scenario;
  bool hidden = false;
  double max = 0;
  std::vector<RunScore> runs;      // one per --repeat
  Folded folded;                   // after the repeat policy
  std::vector<std::string> notes;  // diagnoses from the runs: a crash's last stderr lines, …
  std::set<std::string> flags;     // crashed, timeout, limit
};

struct SubmissionGrade {
  std::string name;
  std::string entry;    // inside the submission
  std::string problem;  // why nothing ran: no entry, an archive refused, a failed build
  std::string build_log;
  std::vector<ScenarioGrade> scenarios;  // in suite order
  double score = 0;
  double max = 0;
  std::set<std::string> flags;  // build-failed, no-entry, crashed, timeout, flaky, limit
};

// What the runs of a class add up to.
class Gradebook {
 public:
  // The suite's scenarios, in order, with their points.
  Gradebook(const GradeConfig& config, std::vector<std::pair<std::string, double>> scenarios,
            RepeatPolicy policy);

  // A submission that will run (or, with `problem`, will not).
  void AddSubmission(const std::string& name, const std::string& entry, const std::string& problem,
                     const std::string& build_log = "");
  // A finished run; `r.subject` names the submission. Returns what the
  // gradebook keeps of it (empty for a submission or scenario it does not know).
  RunRecord AddRun(const ScenarioResult& r);
  // A run recorded before, by this grading or a previous one (grade_cache.h).
  void AddRecord(const std::string& subject, const std::string& scenario, const RunRecord& record);
  // Folds repeats and totals; call once every run is in.
  void Finish();

  [[nodiscard]] const std::vector<SubmissionGrade>& submissions() const { return subs_; }

  [[nodiscard]] std::string GradesCsv() const;
  [[nodiscard]] std::string ResultsJson() const;
  [[nodiscard]] std::string Feedback(const SubmissionGrade& s) const;
  [[nodiscard]] std::string Summary() const;
  // Gradescope's results.json for one submission (its published format:
  // score, output, tests[] with name, score, max_score, status, output,
  // visibility; hidden scenarios stay hidden until published).
  [[nodiscard]] std::string GradescopeJson(const SubmissionGrade& s) const;
  // GitHub Classroom's autograding-grading-reporter payload: base64 of
  // {version, status, max_score, tests[] with name, status, score, message, …}.
  [[nodiscard]] std::string ClassroomPayload(const SubmissionGrade& s) const;
  // Writes all of them into `dir` (created if need be).
  Status WriteAll(const std::string& dir) const;

 private:
  SubmissionGrade* Find(const std::string& name);
  ScenarioGrade* FindScenario(const std::string& subject, const std::string& scenario);
  const GradeConfig& config_;
  std::vector<std::pair<std::string, double>> scenarios_;
  RepeatPolicy policy_;
  std::vector<SubmissionGrade> subs_;
  std::map<std::string, size_t> index_;
};

}  // namespace proclab
