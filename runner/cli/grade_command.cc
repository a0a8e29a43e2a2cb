#include "runner/cli/grade_command.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "runner/base/clock.h"
#include "runner/base/units.h"
#include "runner/cli/app.h"
#include "runner/cli/run_command.h"
#include "runner/cli/suite_loading.h"
#include "runner/grade/grade_config.h"
#include "runner/grade/gradebook.h"
#include "runner/grade/submissions.h"
#include "runner/lab/lab_session.h"
#include "runner/os/copy_tree.h"
#include "runner/run/contained_judge.h"
#include "runner/run/suite.h"
#include "scripting/lua_scripting.h"

namespace proclab::cli {
namespace fs = std::filesystem;

namespace {

// Programs of job slot N run as this uid + N when proclab is root: accounts
// of their own, so no run can read another's copy or signal its processes.
// The build uses the uid just below.
constexpr int64_t kSlotUidBase = 1'900'000'000;
constexpr int64_t kBuildUid = kSlotUidBase - 1;

struct Prepared {
  std::string entry;
  std::string problem;
  std::string build_log;
};

// What a build printed, stdout and stderr in the order written.
std::string OutputOf(const Timeline& t) {
  std::string out;
  for (const Event& e : t.events())
    if (e.type == EventType::kOutput) out += e.text;
  if (out.size() > 4000) out = "…" + out.substr(out.size() - 4000);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Copies or unpacks the submission into `dir`, finds its entry and builds it.
Prepared Prepare(const Submission& s, const GradeConfig& config, const std::string& dir,
                 os::Isolation isolation) {
  Prepared p;
  const bool root = geteuid() == 0;
  if (s.archive) {
    std::error_code ec;
    fs::create_directory(dir, ec);
    if (Status st = Unpack(s.source, dir, config.max_unpacked); !st) {
      p.problem = "the archive was refused: " + st.error().message;
      return p;
    }
  } else if (Status st = os::CopyTree(s.source, dir); !st) {
    p.problem = st.error().message;
    return p;
  }
  if (s.single_file) {
    p.entry = fs::path(s.source).filename().string();
  } else {
    auto entry = FindEntry(dir, config.entry);
    if (!entry) {
      p.problem = entry.error().message;
      return p;
    }
    p.entry = *entry;
  }
  const std::string language = LanguageOf(p.entry);
  auto build = config.build.find(language);
  if (build == config.build.end()) return p;
  if (root) {
    // The build runs as an account of its own, in a folder it owns.
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
         ++it)
      if (lchown(it->path().c_str(), kBuildUid, kBuildUid) != 0) break;
    if (chown(dir.c_str(), kBuildUid, kBuildUid) != 0)
      p.problem = "cannot hand the build its folder";
  }
  LabConfig c;
  c.argv = {"/bin/sh", "-c", WithEntry(build->second, p.entry)};
  c.cwd = dir;
  c.timeout_us = config.build_timeout_us;
  c.isolation = isolation;
  if (root) c.user = std::to_string(kBuildUid);
  // Builds run one at a time: what the build's account left in /tmp and the
  // other shared folders is this build's, and goes.
  c.own_uid = root;
  auto t = RunLab(c);
  if (!t) {
    p.problem = "proclab could not run the build: " + t.error().message;
    return p;
  }
  auto main = t->Process(t->main_pid);
  const bool ok = main && main->exit && !main->exit->signaled && main->exit->code == 0;
  if (!ok) {
    p.problem = fmt::format("the build failed ({}): {}", build->second,
                            main && main->exit ? main->exit->Describe() : "it did not finish");
    p.build_log = OutputOf(*t);
    if (p.build_log.empty()) p.build_log = "(the build printed nothing)";
  }
  return p;
}

// Feeds the gradebook and shows progress. On a terminal: a status line
// (done of total, failures, ETA) rewritten in place, with a line kept for
// each failed run; elsewhere (CI, a file): one plain line per finished run.
class GradeSink : public ResultSink {
 public:
  GradeSink(Gradebook& book, bool live) : book_(book), live_(live) {}
  void OnStart(size_t planned) override {
    planned_ = planned;
    started_us_ = MonotonicUs();
  }
  void OnResult(const ScenarioResult& r) override {
    ++done_;
    failed_ += !r.passed;
    book_.AddRun(r);
    const std::string line =
        fmt::format("[{}/{}] {} {} · {}{}", done_, planned_, r.passed ? "✓" : "✗", r.subject,
                    r.DisplayName(), r.passed ? "" : fmt::format("  {}", Clip(r.Reason())));
    if (!live_) {
      fmt::print("{}\n", line);
    } else {
      if (!r.passed) fmt::print("\r\033[K{}\n", line);
      fmt::print("\r\033[K{}", Status());
    }
    std::fflush(stdout);
  }
  void OnEnd(const SuiteSummary&) override {
    if (live_ && done_ > 0) fmt::print("\n");  // keep the last status line
    std::fflush(stdout);
  }

 private:
  // "12/30 runs · 3 failed · ETA 1m20s"
  [[nodiscard]] std::string Status() const {
    const int64_t elapsed = MonotonicUs() - started_us_;
    std::string eta = "done";
    if (done_ < planned_) {
      const int64_t left =
          elapsed / static_cast<int64_t>(done_) * static_cast<int64_t>(planned_ - done_);
      eta = "ETA " + FormatDuration(left / 1'000'000 * 1'000'000 + 1'000'000);
    }
    return fmt::format("{}/{} runs · {} failed · {}", done_, planned_, failed_, eta);
  }
  static std::string Clip(const std::string& s) {
    return s.size() <= 100 ? s : s.substr(0, 100) + "…";
  }

  Gradebook& book_;
  bool live_;
  size_t planned_ = 0, done_ = 0, failed_ = 0;
  int64_t started_us_ = 0;
};

}  // namespace

GradeCommand::GradeCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("grade", "grade every submission of a class with a grading suite");
  cmd_->add_option("paths", paths_, "SUITE (scenarios + grade.yaml), then folders of submissions");
  cmd_->add_option("--out", out_, "where the gradebook goes (grades.csv, feedback, …)");
  cmd_->add_option("--report", reports_,
                   "gradescope[:PATH] (one submission; default /autograder/submission into "
                   "/autograder/results/results.json) or classroom (to $GITHUB_OUTPUT)")
      ->allow_extra_args(false);
  cmd_->add_option("-j,--jobs", jobs_, "labs in parallel (default: number of CPUs)")
      ->check(CLI::Range(1, 256));
  cmd_->add_option("--repeat", repeat_, "run each scenario N times per submission")
      ->check(CLI::Range(1, 100));
  cmd_->add_option("--policy", policy_, "how repeats count: min (default), median or all")
      ->check(CLI::IsMember({"min", "median", "all"}));
  cmd_->add_option("--isolation", isolation_, "auto, namespace or subreaper")
      ->check(CLI::IsMember({"auto", "namespace", "subreaper"}));
  cmd_->footer(
      "Exit status: 0 graded (whatever the scores), 2 invalid suite or usage, 3 proclab failed, "
      "130 interrupted.");
}

int GradeCommand::Run() {
  // One submission graded for a platform: Gradescope's container or a
  // GitHub Classroom workflow.
  std::string gradescope;
  bool classroom = false;
  for (const auto& r : reports_) {
    if (r == "gradescope" || r.starts_with("gradescope:"))
      gradescope = r == "gradescope" ? "/autograder/results/results.json" : r.substr(11);
    else if (r == "classroom")
      classroom = true;
    else {
      fmt::print(stderr, "proclab grade: --report '{}': expected gradescope[:PATH] or classroom\n",
                 r);
      return kExitUsage;
    }
  }
  const bool single = !gradescope.empty() || classroom;
  if (paths_.size() == 1 && !gradescope.empty()) paths_.push_back("/autograder/submission");
  if (paths_.size() < 2) {
    fmt::print(stderr,
               "proclab grade: give the SUITE folder and at least one folder of submissions\n");
    return kExitUsage;
  }
  if (single && paths_.size() != 2) {
    fmt::print(stderr,
               "proclab grade: --report gradescope/classroom grade one submission: give "
               "SUITE and the submission's folder\n");
    return kExitUsage;
  }
  if (!single && out_.empty()) {
    fmt::print(stderr,
               "proclab grade: --out DIR is required (where grades.csv and the feedback go)\n");
    return kExitUsage;
  }
  const std::string suite = paths_[0];
  const std::vector<std::string> folders(paths_.begin() + 1, paths_.end());
  const std::string config_path = (fs::path(suite) / "grade.yaml").string();
  std::error_code ec;
  if (!fs::is_regular_file(config_path, ec)) {
    fmt::print(stderr, "proclab grade: {} has no grade.yaml (see docs/grading.md)\n", suite);
    return kExitUsage;
  }
  auto config = LoadGradeConfig(config_path);
  if (!config) {
    fmt::print(stderr, "{}\n", config.error().Describe());
    return kExitUsage;
  }
  Loaded loaded;
  if (!LoadSuite({suite}, &loaded)) return kExitUsage;
  std::vector<std::pair<std::string, double>> points;
  for (const auto& s : loaded.scenarios) {
    if (!s.has_program()) {
      fmt::print(stderr,
                 "{}: scenario '{}' runs actors, not a program: there is nothing of a "
                 "submission's to run in it\n",
                 s.file, s.name);
      return kExitUsage;
    }
    auto it = config->points.find(s.name);
    points.emplace_back(s.name, it != config->points.end() ? it->second : s.points);
  }
  for (const auto& [name, p] : config->points)
    if (std::none_of(points.begin(), points.end(),
                     [&](const auto& x) { return x.first == name; })) {
      fmt::print(stderr, "{}: points: no scenario is called '{}'\n", config_path, name);
      return kExitUsage;
    }
  Result<std::vector<Submission>> subs =
      single ? Result<std::vector<Submission>>(std::vector<Submission>{
                   {"submission", fs::absolute(folders[0]).lexically_normal().string(), false,
                    !fs::is_directory(folders[0], ec)}})
             : FindSubmissions(folders);
  if (single && !fs::exists(folders[0], ec)) {
    fmt::print(stderr, "proclab grade: {}: no such submission\n", folders[0]);
    return kExitUsage;
  }
  if (!subs) {
    fmt::print(stderr, "proclab grade: {}\n", subs.error().message);
    return kExitUsage;
  }
  if (subs->empty()) {
    fmt::print(stderr, "proclab grade: no submissions in {}\n", fmt::join(folders, ", "));
    return kExitUsage;
  }
  const os::Isolation isolation = isolation_ == "namespace"   ? os::Isolation::kPidNamespace
                                  : isolation_ == "subreaper" ? os::Isolation::kSubreaper
                                                              : os::Isolation::kAuto;
  const RepeatPolicy policy = policy_ == "median" ? RepeatPolicy::kMedian
                              : policy_ == "all"  ? RepeatPolicy::kAll
                                                  : RepeatPolicy::kMin;

  // Prepared copies live in a folder only root can list; each is owned by
  // the build's account, and every run gets its own copy of it.
  const fs::path work = fs::temp_directory_path() / fmt::format("proclab-grade-{}", getpid());
  fs::create_directories(work / "prep", ec);
  chmod(work.c_str(), 0711);
  chmod((work / "prep").c_str(), 0711);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{work};

  Gradebook book(*config, points, policy);
  static const ContainedJudge judge(LuaJudge());
  std::vector<SuiteItem> items;
  for (const auto& sub : *subs) {
    const std::string dir = (work / "prep" / sub.name).string();
    Prepared p = Prepare(sub, *config, dir, isolation);
    std::string problem = p.problem;
    std::vector<std::string> program;
    if (problem.empty()) {
      const std::string language = LanguageOf(p.entry);
      auto run = config->run.find(language);
      if (run == config->run.end())
        problem =
            fmt::format("grade.yaml has no 'run' command for .{} files ({})", language, p.entry);
      else
        program = SplitWords(WithEntry(run->second, p.entry));
    }
    book.AddSubmission(sub.name, p.entry, problem, p.build_log);
    fmt::print("{} {}{}\n", problem.empty() ? "·" : "✗", sub.name,
               problem.empty() ? fmt::format(" ({})", p.entry) : ": " + problem);
    if (!problem.empty()) continue;
    for (const auto& s : loaded.scenarios) {
      SuiteItem item;
      item.scenario = &s;
      item.run.program = program;
      item.run.workdir_from = dir;
      item.run.slot_uid_base = kSlotUidBase;
      item.run.subject = sub.name;
      item.run.isolation = isolation;
      item.run.actors = &LuaActors();
      item.run.judge = &judge;
      items.push_back(std::move(item));
    }
  }
  SuiteOptions options;
  options.jobs = jobs_ > 0 ? jobs_ : std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  options.repeat = repeat_;
  // A terminal gets a live status line; CI (CI=true) and files get plain lines.
  const char* ci = getenv("CI");
  GradeSink sink(book, isatty(1) && !(ci && *ci && std::string(ci) != "false"));
  SuiteSummary outcome;
  if (!items.empty()) outcome = RunSuite(items, options, sink);
  book.Finish();
  if (!out_.empty()) {
    if (Status st = book.WriteAll(out_); !st) {
      fmt::print(stderr, "proclab grade: {}\n", st.error().message);
      return kExitInternal;
    }
  }
  if (!gradescope.empty()) {
    fs::create_directories(fs::path(gradescope).parent_path(), ec);
    std::ofstream f(gradescope, std::ios::trunc);
    if (!(f << book.GradescopeJson(book.submissions()[0]))) {
      fmt::print(stderr, "proclab grade: cannot write {}\n", gradescope);
      return kExitInternal;
    }
  }
  if (classroom) {
    // The reporter action reads steps.<id>.outputs.result.
    const std::string line = "result=" + book.ClassroomPayload(book.submissions()[0]) + "\n";
    const char* output = getenv("GITHUB_OUTPUT");
    std::ofstream f;
    if (output && *output) f.open(output, std::ios::app);
    if (f.is_open())
      f << line;
    else
      fmt::print("{}", line);
  }
  double total = 0;
  for (const auto& s : book.submissions()) total += s.score;
  fmt::print("graded {} submission{}{}: mean score {:.2f}{}\n", subs->size(),
             subs->size() == 1 ? "" : "s", outcome.interrupted ? " (interrupted: partial)" : "",
             total / static_cast<double>(subs->size()),
             out_.empty() ? ""
                          : fmt::format("; wrote {}/grades.csv, results.json, summary.md and one "
                                        "feedback.md per submission",
                                        out_));
  if (outcome.interrupted) return 130;
  return outcome.internal_errors ? kExitInternal : kExitPassed;
}

}  // namespace proclab::cli
