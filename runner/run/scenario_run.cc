#include "runner/run/scenario_run.h"

#include <fmt/format.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "runner/base/clock.h"
#include "runner/base/units.h"
#include "runner/expect/judge.h"
#include "runner/expect/role_choice.h"
#include "runner/lab/actor_runtime.h"
#include "runner/os/accounts.h"
#include "runner/os/copy_tree.h"
#include "runner/os/cpu_affinity.h"
#include "runner/run/c_programs.h"
#include "runner/run/cgroup_slots.h"
#include "runner/run/stop_when_stuck.h"
#include "runner/scenario/names.h"

namespace proclab {
namespace fs = std::filesystem;

Result<LabConfig> LabConfigFor(const Scenario& s, const RunOptions& options) {
  LabConfig c;
  c.cwd = s.cwd;
  c.env = s.env;
  c.timeout_us = s.timeout_us;
  c.linger_us = s.linger_us;
  c.max_processes = s.limits.processes;
  c.max_tasks = s.limits.tasks;
  c.output_cap = s.limits.output;
  c.max_events = s.limits.events;
  c.max_event_bytes = s.limits.event_memory;
  c.memory_limit = s.limits.memory;
  c.cpu_limit_us = s.limits.cpu_us;
  c.memory_total = s.limits.memory_total;
  c.file_size_limit = s.limits.file_size;
  c.open_files_limit = s.limits.open_files;
  // Core files only where a scenario expects one (killed: {core: true}).
  for (const auto& e : s.expectations)
    if (e.kind == Expectation::Kind::kKilled && e.core.value_or(false)) c.core_limit = 64 << 20;
  // What the lab records for `files:` expectations: each path once, with
  // its text when some expectation reads its lines.
  for (const auto& e : s.expectations) {
    if (e.kind != Expectation::Kind::kFiles) continue;
    if (e.Files().outside) {
      c.watch_outside = true;
      continue;
    }
    auto same =
        std::find_if(c.watched_paths.begin(), c.watched_paths.end(),
                     [&](const LabConfig::WatchedPath& w) { return w.pattern == e.Files().path; });
    if (same == c.watched_paths.end())
      same = c.watched_paths.insert(c.watched_paths.end(), {e.Files().path, false});
    same->text = same->text || !e.pattern.empty();
  }
  c.isolation = options.isolation;
  c.cpu_readings = s.NeedsCpuReadings();
  c.sample_every_us = s.sample_us;
  if (!options.cpus.empty()) {
    c.cpus = options.cpus;
  } else if (s.cpus > 0) {
    // The first N this proclab may use; on a smaller machine, all of them
    // (the trace's lab.cpus says how many were granted, and `cpus` in
    // expectations counts those).
    std::vector<int> mine = os::AllowedCpus();
    if (mine.size() > static_cast<size_t>(s.cpus)) mine.resize(static_cast<size_t>(s.cpus));
    c.cpus = mine;
  }
  c.user = s.user;
  c.host_network = s.host_network || options.host_network;
  if (s.has_program()) {
    c.argv = options.program.empty() ? s.program : options.program;
    c.tty = s.tty;
    c.stdin_text = s.stdin_text;
    for (const auto& st : s.steps)
      if (st.kind == Step::Kind::kStdin || st.kind == Step::Kind::kCloseStdin) c.stdin_open = true;
    // A C file runs as the program it compiles to, compiled as its user.
    const std::string& first = c.argv[0];
    if (fs::path(first).extension() == ".c") {
      fs::path src = fs::path(first).is_absolute() ? fs::path(first) : fs::path(s.cwd) / first;
      auto exe = CompileC(src.lexically_normal().string(), c.user);
      if (!exe) return exe.error();
      c.argv[0] = *exe;
    }
    return c;
  }
  const Actor& actor = s.actors[s.start];
  c.tty = s.tty;
  c.argv = {actor.name};
  c.actor = actor.name;
  const Scenario* sp = &s;
  const Actor* ap = &actor;
  const ScriptedActors* scripted = options.actors;
  c.run_in_child = [sp, ap, scripted]() {
    prctl(PR_SET_NAME, ap->name.c_str());  // what ps, /proc and comm: roles show
    if (ap->lua_function < 0) return RunBuiltinActor(*sp, *ap);
    return scripted ? scripted->Run(*sp, *ap) : 70;  // EX_SOFTWARE: no script host given
  };
  return c;
}

ScenarioRun::ScenarioRun(const Scenario& s, const RunOptions& options, int attempt)
    : s_(s), options_(options), attempt_(attempt), started_us_(MonotonicUs()) {}

std::unique_ptr<ScenarioRun> ScenarioRun::Start(const Scenario& s, const RunOptions& options,
                                                int attempt, int slot) {
  std::unique_ptr<ScenarioRun> run(new ScenarioRun(s, options, attempt));
  run->slot_ = slot;
  auto config = LabConfigFor(s, options);
  if (!config) {
    run->error_ = config.error().message;
    return run;
  }
  run->config_ = std::move(*config);
  if (options.cgroups) {
    run->config_.cgroup = options.cgroups->slot(slot);
    run->config_.no_cgroup_because = options.cgroups->none_because();
  }
  if (Status st = run->StartLab(); !st) {
    run->error_ = st.error().message;
    run->internal_error_ = true;
  }
  return run;
}

namespace {

// Who owns a fresh copy of the scenario's folder: the programs' user when
// proclab is root (nobody by default), else proclab's own user (-1).
std::pair<int64_t, int64_t> CopyOwner(const std::string& user) {
  if (geteuid() != 0 || user == "root") return {-1, -1};
  auto account = os::LookupAccount(user.empty() ? "nobody" : user);
  if (!account) return {-1, -1};
  return {account->uid, account->gid};
}

}  // namespace

Status ScenarioRun::StartLab() {
  RemoveWorkdir();  // a rerun starts from the submission as it was handed in
  // Grading copies the submission; a scenario whose files: look in its
  // folder gets a copy of that folder, so that a file the last run wrote
  // there cannot pass this one.
  const std::string from = !options_.workdir_from.empty() ? options_.workdir_from
                           : s_.FreshCwd()                ? s_.cwd
                                                          : std::string();
  if (!from.empty()) {
    static int made = 0;
    workdir_ =
        (fs::temp_directory_path() / fmt::format("proclab-work-{}-{}", getpid(), ++made)).string();
    const int64_t slot_uid =
        options_.slot_uid_base >= 0 && geteuid() == 0 ? options_.slot_uid_base + slot_ : -1;
    const auto [uid, gid] = slot_uid >= 0 ? std::pair{slot_uid, slot_uid} : CopyOwner(config_.user);
    if (Status st = os::CopyTree(from, workdir_, uid, gid); !st)
      return Error("proclab could not copy the work folder: " + st.error().message);
    config_.cwd = workdir_;
    if (slot_uid >= 0) config_.user = std::to_string(slot_uid);
    // A job slot's account runs one run at a time: what it left in the
    // shared folders is this run's, and is removed.
    config_.own_uid = slot_uid >= 0;
  }
  steps_.reset();
  if (!s_.steps.empty()) {
    steps_ = std::make_unique<ScenarioSteps>(s_);
    config_.driver = steps_.get();
  }
  if (first_) {  // the terminal rerun
    rerun_end_ = std::make_unique<StopWhenStuck>(steps_.get());
    config_.driver = rerun_end_.get();
  }
  auto session = LabSession::Start(config_);
  if (!session) return Error("proclab could not start a lab: " + session.error().message);
  session_ = std::move(*session);
  return {};
}

void ScenarioRun::RemoveWorkdir() {
  if (workdir_.empty()) return;
  std::error_code ec;
  fs::remove_all(workdir_, ec);
  workdir_.clear();
}

ScenarioRun::~ScenarioRun() {
  session_.reset();  // the lab first: its programs may still be writing there
  RemoveWorkdir();
}

// When the run through a pipe failed an output check that a lost stdio
// buffer could explain, the same run is made once more with stdout on a
// terminal, in the same job slot with the same config but `tty`; what the
// terminal showed becomes a note on the failed check. The first run's
// verdicts stand: the rerun only explains them.
bool ScenarioRun::Pump() {
  if (!session_) return false;
  if (session_->Pump()) return true;
  if (first_ || cancelled_) return false;
  first_ = Judged();
  if (!first_->passed && first_->error.empty())
    suspects_ = FindLostOutputSuspects(s_, first_->timeline, first_->verdicts);
  if (suspects_.empty()) return false;
  config_.tty = true;
  if (Status st = StartLab(); !st) {
    suspects_.clear();  // no rerun: the first run is the result, as it is
    return false;
  }
  return true;
}

ScenarioResult ScenarioRun::Finish() {
  if (!first_) return Judged();
  if (session_) {
    const Timeline tty = session_->Finish();
    session_.reset();
    first_->tty_rerun = true;
    for (const auto& suspect : suspects_) {
      if (cancelled_ || !tty.complete) break;
      const std::string note = LostOutputNote(s_, suspect, first_->timeline, tty);
      if (note.empty()) continue;
      if (suspect.kind == LostOutputSuspect::Kind::kVerdict) {
        first_->verdicts[suspect.index].explanation += "\n" + note;
        continue;
      }
      for (auto& st : first_->failed_steps)
        if (st.index == static_cast<int>(suspect.index)) st.message += "\n" + note;
      const std::string step = fmt::format("step {}:", suspect.index + 1);
      for (auto& g : first_->graded_steps)
        if (g.step.starts_with(step)) g.message += "\n" + note;
    }
    first_->wall_us = MonotonicUs() - started_us_;
  }
  return std::move(*first_);
}

ScenarioResult ScenarioRun::Judged() {
  ScenarioResult r;
  r.scenario = s_.name;
  r.subject = options_.subject;
  r.file = s_.file;
  r.path = s_.suite_path;
  r.description = s_.description;
  r.tags = s_.tags;
  r.points = s_.points;
  r.attempt = attempt_;
  r.error = error_;
  r.internal_error = internal_error_;
  r.cancelled = cancelled_;
  if (session_) {
    r.timeline = session_->Finish();
    session_.reset();
    if (!r.timeline.summary.lab_error.empty()) {
      r.error = "proclab failed: " + r.timeline.summary.lab_error;
      r.internal_error = true;
    } else if (!r.timeline.launch_error.empty()) {
      r.error = r.timeline.launch_error;
    }
  }
  r.wall_us = MonotonicUs() - started_us_;
  for (const auto& st : r.timeline.steps)
    if (!st.ok) r.failed_steps.push_back(st);
  for (size_t i = 0; i < s_.steps.size(); ++i) {
    if (!s_.steps[i].points) continue;
    ScenarioResult::GradedStep g{fmt::format("step {}: {}", i + 1, StepText(s_.steps[i])), false,
                                 *s_.steps[i].points, "the run ended before this step"};
    for (const auto& st : r.timeline.steps)
      if (st.index == static_cast<int>(i)) g.ok = st.ok, g.message = st.message;
    r.graded_steps.push_back(std::move(g));
  }
  // A bug of proclab's in judging costs this run only, and says so.
  try {
    if (r.error.empty()) {
      RoleChoice choice = JudgeBestRoles(s_, r.timeline, options_.judge);
      r.verdicts = std::move(choice.verdicts);
      r.roles_note = std::move(choice.note);
      Scenario chosen = s_;
      if (choice.chosen > 0) chosen.roles = s_.alternative_roles[choice.chosen - 1];
      // As Names::NameOf says it (an actor first, else the first role that
      // selects it), one role at a time: a fork storm has thousands of records.
      const Names names(chosen, r.timeline);
      for (const ProcessRecord& rec : names.records())
        if (!rec.actor.empty()) r.process_names[rec.id] = rec.actor;
      for (const Role& role : chosen.roles)
        for (const ProcessRecord* rec : names.ResolveRecords(role.name))
          r.process_names.emplace(rec->id, role.name);
    }
  } catch (const std::exception& e) {
    r.verdicts.clear();
    r.error = fmt::format("proclab failed judging this run: {}", e.what());
    r.internal_error = true;
  }
  r.passed = r.error.empty() && r.failed_steps.empty();
  for (const auto& v : r.verdicts) r.passed = r.passed && v.passed;
  return r;
}

}  // namespace proclab
