#include "runner/cli/grade_resume.h"

#include <fmt/format.h>

#include <filesystem>

#include "runner/os/build_identity.h"

namespace proclab::cli {
namespace fs = std::filesystem;

namespace {

void Notice(const std::string& text) { fmt::print(stderr, "proclab grade: {}\n", text); }

std::string Canonical(const std::string& path) {
  std::error_code ec;
  return fs::weakly_canonical(path, ec).string();
}

}  // namespace

GradeResume::GradeResume(const Options& options, const std::string& suite,
                         const std::vector<Scenario>& scenarios)
    : force_(options.force), repeat_(options.repeat) {
  if (options.out.empty()) return;
  const std::string dir = (fs::path(options.out) / ".cache").string();
  const std::string identity = os::BuildIdentity();
  if (identity.empty()) {
    Notice("cannot tell which build of proclab this is: nothing will be reused or cached");
    return;
  }
  // The scenario files count for their own pairs only, and the gradebook
  // (when --out is inside the suite) not at all.
  std::vector<std::string> skip = {Canonical(options.out)};
  for (const auto& s : scenarios) {
    skip.push_back(Canonical(s.file));
    auto file = FingerprintTree(s.file);
    if (!file) {
      Notice(fmt::format("{}: nothing will be reused or cached", file.error().message));
      return;
    }
    scenario_files_[s.name] = *file;
  }
  auto rest = FingerprintTree(suite, skip);
  auto grade_yaml = FingerprintTree((fs::path(suite) / "grade.yaml").string());
  if (!rest || !grade_yaml) {
    Notice(fmt::format("{}: nothing will be reused or cached",
                       (!rest ? rest : grade_yaml).error().message));
    return;
  }
  GradeCache cache(dir, identity);
  if (Status st = cache.Open(); !st) {
    Notice(fmt::format("{}: nothing will be reused or cached, so a rerun will run everything again",
                       st.error().message));
    return;
  }
  cache_ = std::move(cache);
  keys_.emplace(*rest, *grade_yaml, options.repeat, options.isolation);
}

void GradeResume::Staged(const std::string& submission, const std::string& dir) {
  if (!cache_) return;
  auto files = FingerprintTree(dir);
  if (!files) {
    Notice(fmt::format("{}: {}: it is not cached", submission, files.error().message));
    return;
  }
  submission_files_[submission] = *files;
}

std::optional<std::string> GradeResume::Load(const std::string& key, const std::string& what) {
  used_.insert(key);
  if (force_) return std::nullopt;
  GradeCache::Found found = cache_->Load(key);
  switch (found.kind) {
    case GradeCache::Found::kAbsent: break;
    case GradeCache::Found::kHit: return std::move(found.payload);
    case GradeCache::Found::kForeign:
      ++foreign_;
      foreign_why_ = found.why;
      break;
    case GradeCache::Found::kDamaged:
      Notice(fmt::format("{}: {}: {} runs again", cache_->PathOf(key), found.why, what));
      break;
  }
  return std::nullopt;
}

void GradeResume::Store(const std::string& key, const std::string& payload) {
  used_.insert(key);
  if (Status st = cache_->Store(key, payload); !st) {
    if (store_failures_++ == 0) store_error_ = st.error().message;
  }
}

std::optional<BuildRecord> GradeResume::ReuseBuild(const std::string& submission) {
  auto files = submission_files_.find(submission);
  if (!cache_ || files == submission_files_.end()) return std::nullopt;
  const std::string key = keys_->Build(submission, files->second);
  const std::string what = fmt::format("the build of {}", submission);
  auto payload = Load(key, what);
  if (!payload) return std::nullopt;
  auto build = DecodeBuild(*payload);
  if (build) return *build;
  Notice(fmt::format("{}: {}: {} runs again", cache_->PathOf(key), build.error().message, what));
  return std::nullopt;
}

void GradeResume::StoreBuild(const std::string& submission, const BuildRecord& build) {
  auto files = submission_files_.find(submission);
  if (!cache_ || files == submission_files_.end()) return;
  Store(keys_->Build(submission, files->second), EncodeBuild(build));
}

std::optional<std::vector<RunRecord>> GradeResume::ReusePair(const std::string& submission,
                                                             const std::string& scenario) {
  auto files = submission_files_.find(submission);
  if (!cache_ || files == submission_files_.end()) return std::nullopt;
  const std::string key =
      keys_->Pair(submission, files->second, scenario, scenario_files_.at(scenario));
  const std::string what = fmt::format("{} · {}", submission, scenario);
  if (auto payload = Load(key, what)) {
    auto records = DecodeRecords(*payload);
    if (records && static_cast<int>(records->size()) == repeat_) return std::move(*records);
    Notice(fmt::format("{}: {}: {} runs again", cache_->PathOf(key),
                       records ? fmt::format("{} runs, not {}", records->size(), repeat_)
                               : records.error().message,
                       what));
  }
  pending_[{submission, scenario}] = key;
  return std::nullopt;
}

void GradeResume::OnRun(const ScenarioResult& r, const RunRecord& record) {
  auto key = pending_.find({r.subject, r.scenario});
  if (key == pending_.end()) return;
  Runs& runs = arriving_[key->first];
  runs.records.push_back(record);
  runs.spoiled = runs.spoiled || r.cancelled || r.internal_error;
  if (static_cast<int>(runs.records.size()) < repeat_) return;
  if (!runs.spoiled) Store(key->second, EncodeRecords(runs.records));
  arriving_.erase(key->first);
  pending_.erase(key);
}

void GradeResume::Announce(size_t submissions, size_t scenarios, size_t reused,
                           size_t to_run) const {
  if (!cache_) return;
  if (foreign_)
    Notice(fmt::format("{} cached result{} in {} cannot be used ({}): {} again", foreign_,
                       foreign_ == 1 ? "" : "s", cache_->dir(), foreign_why_,
                       foreign_ == 1 ? "it runs" : "they run"));
  if (reused == 0 && !force_) return;
  const size_t not_run = submissions * scenarios - reused - to_run;
  fmt::print(
      "{} submission{} × {} scenario{}: {}{} to run{}{}\n", submissions,
      submissions == 1 ? "" : "s", scenarios, scenarios == 1 ? "" : "s",
      force_ ? "" : fmt::format("{} reused from a previous run, ", reused), to_run,
      not_run ? fmt::format(", {} not run (no entry, a refused archive or a failed build)", not_run)
              : "",
      force_ ? fmt::format(" (--force: nothing reused from {})", cache_->dir())
             : " (--force redoes them)");
  std::fflush(stdout);
}

void GradeResume::Finish(bool interrupted) {
  if (!cache_) return;
  if (store_failures_)
    Notice(fmt::format("{} result{} could not be cached ({}): a rerun will run them again",
                       store_failures_, store_failures_ == 1 ? "" : "s", store_error_));
  if (!interrupted) cache_->Prune(used_);
}

}  // namespace proclab::cli
