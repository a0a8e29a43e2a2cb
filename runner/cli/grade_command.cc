#include "runner/cli/grade_command.h"

#include "runner/cli/cpus_flag.h"
#include "runner/timeline/usage.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "reports/html/html_report.h"
#include "runner/cli/app.h"
#include "runner/cli/grade_prepare.h"
#include "runner/cli/grade_progress.h"
#include "runner/cli/grade_resume.h"
#include "runner/cli/grade_shard.h"
#include "runner/cli/run_command.h"
#include "runner/cli/suite_loading.h"
#include "runner/grade/grade_config.h"
#include "runner/grade/grade_keys.h"
#include "runner/grade/gradebook.h"
#include "runner/grade/submissions.h"
#include "runner/os/uid_lease.h"
#include "runner/run/contained_judge.h"
#include "runner/run/shard_plan.h"
#include "runner/run/suite.h"
#include "scripting/lua_scripting.h"

namespace proclab::cli {
namespace fs = std::filesystem;
namespace {

// The gradebook's sink, and the HTML report's when asked for.
class Both : public ResultSink {
 public:
  Both(ResultSink& first, ResultSink* second) : first_(first), second_(second) {}
  void OnStart(size_t runs) override {
    first_.OnStart(runs);
    if (second_) second_->OnStart(runs);
  }
  void OnResult(const ScenarioResult& r) override {
    first_.OnResult(r);
    if (second_) second_->OnResult(r);
  }
  void OnEnd(const SuiteSummary& s) override {
    first_.OnEnd(s);
    if (second_) second_->OnEnd(s);
  }

 private:
  ResultSink& first_;
  ResultSink* second_;
};

}  // namespace

GradeCommand::GradeCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("grade", "grade every submission of a class with a grading suite");
  cmd_->add_option("paths", paths_, "SUITE (scenarios + grade.yaml), then folders of submissions");
  cmd_->add_option("--out", out_, "where the gradebook goes (grades.csv, feedback, …)");
  cmd_->add_option("--report", reports_,
                   "gradescope[:PATH] (one submission; default /autograder/submission into "
                   "/autograder/results/results.json), classroom (to $GITHUB_OUTPUT), or "
                   "html:DIR (a page per run, index.html listing the submissions)")
      ->allow_extra_args(false);
  cmd_->add_option("-j,--jobs", jobs_, "labs in parallel (default: number of CPUs)")
      ->check(CLI::Range(1, 256));
  static_assert(kGradeUidBlock - 1 >= 256, "every job slot of -j 256 needs an account");
  cmd_->add_option("--repeat", repeat_, "run each scenario N times per submission")
      ->check(CLI::Range(1, 100));
  cmd_->add_option("--policy", policy_, "how repeats count: min (default), median or all")
      ->check(CLI::IsMember({"min", "median", "all"}));
  cmd_->add_option("--isolation", isolation_, "auto, namespace or subreaper")
      ->check(CLI::IsMember({"auto", "namespace", "subreaper"}));
  cmd_->add_option("--shard", shard_,
                   "grade the I-th of N shares of the submissions, e.g. 2/4, or auto (the CI "
                   "engine's variables); writes DIR/shard.json for `proclab merge --grade`");
  cmd_->add_option("--shards", shards_, "with --shard auto: how many shards")
      ->check(CLI::Range(1, 100000));
  cmd_->add_option("--cpus", cpus_,
                   "pin every run to N CPUs, or to a list of them (0,2 or 4-7), in place of the "
                   "scenarios' cpus:");
  cmd_->add_flag("--force", force_,
                 "run every pair again, even those whose results --out DIR/.cache holds");
  cmd_->footer(
      "Exit status: 0 graded (whatever the scores), 2 invalid suite or usage, 3 proclab failed, "
      "130 interrupted.");
}

Result<std::string> SuiteFingerprint(const std::string& suite, const std::string& out) {
  std::error_code ec;
  std::vector<std::string> skip;
  if (!out.empty()) skip.push_back(fs::weakly_canonical(out, ec).string());
  return FingerprintTree(suite, skip);
}

bool LoadGradingSuite(const std::string& suite, std::optional<GradeConfig>* config_out,
                      Loaded* loaded_out, std::vector<std::pair<std::string, double>>* points_out) {
  const std::string config_path = (fs::path(suite) / "grade.yaml").string();
  std::error_code ec;
  if (!fs::is_regular_file(config_path, ec)) {
    fmt::print(stderr, "proclab grade: {} has no grade.yaml (see docs/grading.md)\n", suite);
    return false;
  }
  auto config = LoadGradeConfig(config_path);
  if (!config) {
    fmt::print(stderr, "{}\n", config.error().Describe());
    return false;
  }
  Loaded& loaded = *loaded_out;
  if (!LoadSuite({suite}, &loaded)) return false;
  std::vector<std::pair<std::string, double>>& points = *points_out;
  for (const auto& s : loaded.scenarios) {
    if (!s.has_program()) {
      fmt::print(stderr,
                 "{}: scenario '{}' runs actors, not a program: there is nothing of a "
                 "submission's to run in it\n",
                 s.file, s.name);
      return false;
    }
    auto it = config->points.find(s.name);
    points.emplace_back(s.name, it != config->points.end() ? it->second : s.points);
  }
  for (const auto& [name, p] : config->points)
    if (std::none_of(points.begin(), points.end(),
                     [&](const auto& x) { return x.first == name; })) {
      fmt::print(stderr, "{}: points: no scenario is called '{}'\n", config_path, name);
      return false;
    }
  config_out->emplace(std::move(*config));
  return true;
}

int GradeCommand::Run() {
  // One submission graded for a platform: Gradescope's container or a
  // GitHub Classroom workflow.
  std::string gradescope, html_dir;
  bool classroom = false;
  for (const auto& r : reports_) {
    if (r == "gradescope" || r.starts_with("gradescope:"))
      gradescope = r == "gradescope" ? "/autograder/results/results.json" : r.substr(11);
    else if (r == "classroom")
      classroom = true;
    else if (r.starts_with("html:") && r.size() > 5)
      html_dir = r.substr(5);
    else {
      fmt::print(stderr,
                 "proclab grade: --report '{}': expected gradescope[:PATH], classroom or "
                 "html:DIR\n",
                 r);
      return kExitUsage;
    }
  }
  // Pages of the runs made (pairs reused from DIR/.cache have none).
  std::unique_ptr<ResultSink> html_report;
  if (!html_dir.empty()) {
    auto made = html::MakeHtmlReporter(html_dir);
    if (!made) {
      fmt::print(stderr, "proclab grade: --report html:{}: {}\n", html_dir, made.error().message);
      return kExitUsage;
    }
    html_report = std::move(*made);
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
  std::optional<GradeConfig> config;
  Loaded loaded;
  std::vector<std::pair<std::string, double>> points;
  if (!LoadGradingSuite(suite, &config, &loaded, &points)) return kExitUsage;
  std::error_code ec;
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
  // --shard: this grading's share of the submissions, each with all its runs.
  std::optional<GradeShard> shard;
  if (!shard_.empty() || shards_ > 0) {
    if (single || shard_.empty()) {
      fmt::print(stderr, "proclab grade: {}\n",
                 single ? "--shard grades a class, not one submission for a platform"
                        : "--shards goes with --shard");
      return kExitUsage;
    }
    auto chosen = ChooseShard(shard_, shards_, ProcessEnvironment());
    if (!chosen) {
      fmt::print(stderr, "proclab grade: {}\n", chosen.error().message);
      return kExitUsage;
    }
    std::vector<RunPair> all;
    std::vector<std::string> names;
    for (const auto& sub : *subs) {
      all.emplace_back(sub.name, 0);
      names.push_back(sub.name);
    }
    const auto mine =
        SharePairs(all, chosen->count, nullptr)[static_cast<size_t>(chosen->index - 1)];
    std::vector<Submission> kept;
    for (const auto& sub : *subs)
      if (std::find(mine.begin(), mine.end(), RunPair{sub.name, 0}) != mine.end())
        kept.push_back(sub);
    fmt::print(stderr, "proclab grade: shard {} of {} ({}): {} of {} submissions\n", chosen->index,
               chosen->count, chosen->source, kept.size(), subs->size());
    auto fingerprint = SuiteFingerprint(suite, out_);
    if (!fingerprint) {
      fmt::print(stderr, "proclab grade: {}\n", fingerprint.error().message);
      return kExitInternal;
    }
    shard.emplace(GradeShardOptions{*fingerprint, repeat_, policy_, isolation_}, chosen->index,
                  chosen->count, names);
    *subs = std::move(kept);
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

  // As root, the runs' accounts: a block no concurrent grading shares.
  std::optional<os::UidLease> lease;
  GradeAccounts accounts;
  if (geteuid() == 0) {
    auto taken = os::UidLease::Take(os::DefaultUidLeaseDir(), kFirstGradeUid, kGradeUidBlock,
                                    kGradeUidBlocks);
    if (!taken) {
      fmt::print(stderr, "proclab grade: cannot reserve accounts for the runs: {}\n",
                 taken.error().message);
      return kExitInternal;
    }
    lease = std::move(*taken);
    accounts = {lease->first(), lease->first() + 1};
  }

  Gradebook book(*config, points, policy);
  (void)ec;
  std::vector<int> cpus;
  if (!cpus_.empty()) {
    auto parsed = ParseCpusFlag(cpus_);
    if (!parsed) return kExitUsage;
    cpus = *parsed;
  }
  // The CPUs a run may use change its results: they are part of each
  // pair's key (only when given, so that earlier caches stay valid).
  const std::string key_isolation =
      cpus.empty() ? isolation_ : fmt::format("{} cpus={}", isolation_, FormatCpuList(cpus));
  GradeResume resume({out_, force_, repeat_, key_isolation}, suite, loaded.scenarios);
  static const ContainedJudge judge(LuaJudge());
  std::vector<SuiteItem> items;
  size_t reused = 0;
  for (const auto& sub : *subs) {
    const std::string dir = (work / "prep" / sub.name).string();
    BuildRecord p = Stage(sub, *config, dir);
    std::vector<std::optional<std::vector<RunRecord>>> earlier(loaded.scenarios.size());
    if (p.problem.empty()) {
      resume.Staged(sub.name, dir);
      bool all = true;
      for (size_t i = 0; i < earlier.size(); ++i) {
        earlier[i] = resume.ReusePair(sub.name, loaded.scenarios[i].name);
        all = all && earlier[i];
      }
      // A build is reused when it failed (nothing runs), or with all of its
      // pairs: a pair that runs needs the built folder.
      auto build = resume.ReuseBuild(sub.name);
      if (build && (all || !build->problem.empty())) {
        p = *build;
      } else {
        Build(p, *config, dir, isolation, accounts.build);
        resume.StoreBuild(sub.name, p);
      }
    }
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
    if (shard) shard->AddSubmission(sub.name, p.entry, problem, p.build_log);
    fmt::print("{} {}{}\n", problem.empty() ? "·" : "✗", sub.name,
               problem.empty() ? fmt::format(" ({})", p.entry) : ": " + problem);
    if (!problem.empty()) continue;
    for (size_t i = 0; i < loaded.scenarios.size(); ++i) {
      if (earlier[i]) {
        for (size_t k = 0; k < earlier[i]->size(); ++k) {
          book.AddRecord(sub.name, loaded.scenarios[i].name, (*earlier[i])[k]);
          if (shard)
            shard->AddRun(sub.name, loaded.scenarios[i].name, static_cast<int>(k),
                          (*earlier[i])[k]);
        }
        ++reused;
        continue;
      }
      SuiteItem item;
      item.scenario = &loaded.scenarios[i];
      item.run.program = program;
      item.run.workdir_from = dir;
      item.run.slot_uid_base = accounts.slot_base;
      item.run.subject = sub.name;
      item.run.isolation = isolation;
      item.run.cpus = cpus;
      item.run.actors = &LuaActors();
      item.run.judge = &judge;
      items.push_back(std::move(item));
    }
  }
  resume.Announce(subs->size(), loaded.scenarios.size(), reused, items.size());
  SuiteOptions options;
  options.jobs = jobs_ > 0 ? jobs_ : std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  options.repeat = repeat_;
  // A terminal gets a live status line; CI (CI=true) and files get plain lines.
  const char* ci = getenv("CI");
  GradeProgress sink(book, resume, isatty(1) && !(ci && *ci && std::string(ci) != "false"),
                     shard ? &*shard : nullptr);
  SuiteSummary outcome;
  Both both(sink, html_report.get());
  if (!items.empty()) outcome = RunSuite(items, options, both);
  if (html_report && items.empty()) html_report->OnEnd(outcome);
  book.Finish();
  resume.Finish(outcome.interrupted);
  if (!out_.empty()) {
    if (Status st = book.WriteAll(out_); !st) {
      fmt::print(stderr, "proclab grade: {}\n", st.error().message);
      return kExitInternal;
    }
    if (shard && !outcome.interrupted) {
      if (Status st = shard->Write(out_); !st) {
        fmt::print(stderr, "proclab grade: {}\n", st.error().message);
        return kExitInternal;
      }
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
