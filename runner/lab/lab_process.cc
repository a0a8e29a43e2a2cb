#include "runner/lab/lab_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "runner/base/clock.h"
#include "runner/base/units.h"
#include "runner/lab/lab.h"
#include "runner/os/accounts.h"
#include "runner/os/process_ops.h"
#include "runner/os/procfs.h"
#include "runner/os/pty.h"
#include "runner/os/sys_error.h"

namespace proclab {
namespace {

// The lab's own descriptors 0 and 1 point at /dev/null (stderr stays for
// diagnostics), so nothing the lab opens can land on them.
void SettleOwnStdio() {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) return;
  dup2(null, 0);
  dup2(null, 1);
  if (null > 2) close(null);
}

struct Identity {
  uid_t uid = static_cast<uid_t>(-1);  // -1: keep the lab's
  gid_t gid = static_cast<gid_t>(-1);
  std::string name;
  int effective_uid = 0;
};

Result<Identity> ProgramIdentity(const LabConfig& config, const os::LabPlace& place) {
  Identity id;
  if (geteuid() != 0 || place.user_namespace || config.user == "root") {
    // Not root, or root only inside our own user namespace: programs keep our uid.
    id.effective_uid = static_cast<int>(place.user_namespace ? 0 : geteuid());
    id.name = "root";
    if (!place.user_namespace && geteuid() != 0)
      if (auto acct = os::LookupAccount(std::to_string(geteuid()))) id.name = acct->name;
    return id;
  }
  auto acct = os::LookupAccount(config.user.empty() ? "nobody" : config.user);
  if (!acct) return acct.error();
  id.uid = acct->uid;
  id.gid = acct->gid;
  id.name = acct->name;
  id.effective_uid = static_cast<int>(acct->uid);
  return id;
}

// An AddressSanitizer build reserves terabytes of address space for its
// shadow memory: actors, which are that build forked, cannot live under an
// RLIMIT_AS. Programs exec'd from it are not instrumented and keep the limit.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

rlim_t Ceil(int64_t us) { return static_cast<rlim_t>((us + 999999) / 1000000); }

}  // namespace

Lab::Lab(const LabConfig& config, const os::LabPlace& place, int events_fd, int lifeline_fd)
    : config_(config),
      place_(place),
      out_(events_fd),
      lifeline_(lifeline_fd),
      start_us_(MonotonicUs()) {}

int64_t Lab::Now() const { return MonotonicUs() - start_us_; }

namespace {

// Nice levels the lab runs above the caller, when it may (root).
constexpr int kLabPriorityBoost = 5;

// What a timeline past its event cap still needs: who lived and how it ended.
bool LifeCycle(EventType type) {
  switch (type) {
    case EventType::kSpawn:
    case EventType::kExec:
    case EventType::kFork:
    case EventType::kExit:
    case EventType::kReap:
    case EventType::kReparent:
    case EventType::kLimit:
    case EventType::kKilledByLab: return true;
    default: return false;
  }
}

}  // namespace

std::string Lab::EventCapText() const {
  if (events_emitted_ >= config_.max_events)
    return fmt::format("its cap of {} events", config_.max_events);
  return fmt::format("its cap of {} of events ({} events)", FormatSize(config_.max_event_bytes),
                     events_emitted_);
}

// The event's time and CPU readings are taken now; the rest may wait until
// the stop being handled has been restarted (DrainTracer).
void Lab::Emit(Event e) {
  if (e.t_us == 0) e.t_us = Now();
  ReadCpus(e);
  if (hold_events_) {
    held_.push_back(std::move(e));
    return;
  }
  Publish(std::move(e));
}

void Lab::ReleaseHeld() {
  // Publish never emits, so nothing joins held_ meanwhile.
  for (Event& e : held_) Publish(std::move(e));
  held_.clear();
}

void Lab::Publish(Event e) {
  if (events_emitted_ >= config_.max_events || event_bytes_ >= config_.max_event_bytes) {
    if (!events_capped_) {
      // The limit event itself is the one emitted past the cap.
      events_capped_ = true;
      Event limit;
      limit.type = EventType::kLimit;
      limit.t_us = e.t_us;
      limit.kind = "events";
      limit.pid = e.pid;
      limit.detail = fmt::format("the timeline reached {}; the run is ended", EventCapText());
      out_.Event(limit);
      local_.Add(std::move(limit));
    }
    if (!LifeCycle(e.type)) {
      ++events_dropped_;
      return;
    }
  }
  ++events_emitted_;
  event_bytes_ += static_cast<int64_t>(Footprint(e));
  out_.Event(e);
  local_.Add(std::move(e));
}

// The job slot's group, limited for this run. Its counters are cumulative
// over the slot's runs: this run's share is what grows from here.
std::string Lab::PrepareCgroup() {
  if (!config_.cgroup)
    return "none: " + (config_.no_cgroup_because.empty() ? std::string("not requested")
                                                         : config_.no_cgroup_because);
  cgroup_ = *config_.cgroup;
  // The tracer refuses at max_tasks with a diagnosis; the kernel's cap is the
  // backstop for clones in flight.
  Status st = cgroup_->SetTasksMax(config_.max_tasks + 32);
  if (st && cgroup_->Has("memory")) st = cgroup_->SetMemoryMax(config_.memory_total);
  if (!st) {
    cgroup_.reset();
    return "none: " + st.error().message;
  }
  oom_kills_seen_ = cgroup_->OomKills().value_or(0);
  return cgroup_->Describe();
}

// A scenario that expects a core lets the program dump one in its folder,
// where core_pattern puts it. A dump replaces the file of its name there,
// whoever's it is (core_files.h): so if the folder already holds a name a
// dump could take, or the lab cannot tell, this run dumps no core at all
// (RLIMIT_CORE 0), and a `no_core` limit event says why.
void Lab::PrepareCores() {
  if (config_.core_limit <= 0) return;
  core_names_ = os::HostCoreNames();
  const std::string dir = config_.cwd.empty() ? "." : config_.cwd;
  std::string why;
  if (core_names_.place == os::CoreNames::Place::kSubFolder) {
    why = fmt::format(
        "core_pattern '{}' puts dumps below the program's folder, where the lab "
        "cannot make sure a dump replaces no file",
        core_names_.pattern);
  } else if (auto there = os::CoreNamesIn(dir, core_names_); !there) {
    why = fmt::format(
        "the lab could not look in the program's folder for a file a dump would "
        "replace ({})",
        there.error().message);
  } else if (!there->empty()) {
    const size_t n = there->size();
    const std::vector<std::string> shown(there->begin(), there->begin() + std::min<size_t>(3, n));
    std::string names = fmt::format("{}", fmt::join(shown, ", "));
    if (n > shown.size()) names += fmt::format(" and {} more", n - shown.size());
    why = fmt::format(
        "{} {} already in the program's folder ({}), and a dump would replace {}; "
        "rename {} or run the program in another folder",
        names, n == 1 ? "was" : "were",
        config_.cwd.empty() ? "proclab's current folder" : config_.cwd, n == 1 ? "it" : "them",
        n == 1 ? "it" : "them");
  }
  if (!why.empty()) no_core_ = "the lab let no process of this run dump a core: " + why;
}

// Dumps of this run's processes in the program's folder, named as
// core_pattern names them there: reported, then removed. Only regular files
// the program's user made during the run are touched, and only when a
// process of the run did dump a core.
void Lab::RemoveCores() {
  if (config_.core_limit <= 0 || !no_core_.empty()) return;
  std::vector<pid_t> pids;
  bool dumped = false;
  for (const auto& rec : local_.Processes()) {
    pids.push_back(rec.pid);
    dumped = dumped || (rec.exit && rec.exit->core);
  }
  if (!dumped) return;
  for (const auto& core : os::FindCores(config_.cwd.empty() ? "." : config_.cwd, core_names_, pids,
                                        program_uid_, start_wall_)) {
    Event e;
    e.type = EventType::kLimit;
    e.kind = "core";
    e.pid = core.pid;
    e.detail = fmt::format("dumped a core of {} in {}; the lab removed it", FormatSize(core.bytes),
                           core.path);
    Emit(std::move(e));
  }
}

// The "before" look at the run's folder and the shared folders, taken
// before the program exists.
Status Lab::WatchFiles(uid_t uid, gid_t gid) {
  if (config_.watched_paths.empty() && !config_.watch_outside && !config_.own_uid) return {};
  FileWatch::Options o;
  o.cwd = config_.cwd;
  o.paths = config_.watched_paths;
  o.outside = config_.watch_outside;
  o.remove_left = config_.own_uid;
  o.uid = uid;
  o.gid = gid;
  o.as_program = uid != geteuid();
  o.ignore = {scratch_.top()};
  if (!config_.cwd.empty()) o.ignore.push_back(config_.cwd);
  auto watch = FileWatch::Start(std::move(o));
  if (!watch) return watch.error();
  files_.emplace(std::move(*watch));
  return {};
}

// The "after" look, once every process is gone.
void Lab::RecordFiles() {
  if (!files_) return;
  files_->Finish(&local_.files, &local_.left_outside);
  out_.Files(local_.files, local_.left_outside);
}

int Lab::Fail(const std::string& message) {
  RunSummary summary;
  summary.end_us = Now();
  summary.lab_error = message;
  out_.End(summary);
  out_.Flush();
  return 3;
}

// stdin: /dev/null, a file, a pipe the lab writes (text and steps), or the pty.
Status Lab::SetupInput(os::SpawnSpec* spec, os::UniqueFd* child_stdin) {
  if (config_.tty) {
    spec->stdin_fd = tty_slave_.get();
    input_.Reset(dup(tty_master_.get()));
    if (!input_) return os::SysError("dup(pty master)");
    if (Status st = os::SetNonBlocking(input_.get(), true); !st) return st;
  } else if (config_.stdin_text || config_.stdin_open) {
    auto pipe = os::MakePipe();
    if (!pipe) return pipe.error();
    if (Status st = os::SetNonBlocking(pipe->write.get(), true); !st) return st;
    input_ = std::move(pipe->write);
    *child_stdin = std::move(pipe->read);
    spec->stdin_fd = child_stdin->get();
  } else {
    child_stdin->Reset(open(config_.stdin_path.empty() ? "/dev/null" : config_.stdin_path.c_str(),
                            O_RDONLY | O_CLOEXEC));
    if (!*child_stdin) return os::SysError(fmt::format("open({})", config_.stdin_path));
    spec->stdin_fd = child_stdin->get();
  }
  if (config_.stdin_text) input_pending_ = *config_.stdin_text;
  close_input_when_flushed_ = config_.stdin_text && !config_.stdin_open && !config_.tty;
  return {};
}

Status Lab::Setup() {
  SettleOwnStdio();
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTTOU, SIG_IGN);
  signal(SIGTTIN, SIG_IGN);
  signal(SIGTSTP, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  // A program on the lab's terminal can make the lab's group the foreground
  // (tcsetpgrp); keys then signal the lab. Programs get SIG_DFL back.
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  setsid();  // off the runner's terminal: its Ctrl-C is the runner's to handle
  // Tracees must not ptrace the lab or read its memory, even as namespace root.
  prctl(PR_SET_DUMPABLE, 0);
  lab_pid_ = getpid();
  poller_.emplace();

  auto id = ProgramIdentity(config_, place_);
  if (!id) return id.error();
  auto scratch = os::ScratchDir::Create(id->uid == static_cast<uid_t>(-1) ? geteuid() : id->uid,
                                        id->gid == static_cast<gid_t>(-1) ? getegid() : id->gid);
  if (!scratch) return scratch.error();
  scratch_ = std::move(*scratch);

  Supervisor::Options opt;
  opt.lab_pid = lab_pid_;
  opt.pid_namespace = place_.pid_namespace;
  opt.max_processes = config_.max_processes;
  opt.max_tasks = config_.max_tasks;
  opt.cpu_limit_us = config_.cpu_limit_us;
  opt.file_size_limit = config_.file_size_limit;
  opt.memory_total = config_.memory_total;
  spec_.emplace();
  os::UniqueFd child_stdin;
  if (config_.tty) {
    // The lab leads the terminal's session; the program gets its own process
    // group there, as the foreground. The lab is its parent in the same
    // session, so the group is not orphaned: Ctrl-Z really stops it.
    auto pty = os::OpenPty();
    if (!pty) return pty.error();
    if (auto st = os::TakeAsControllingTerminal(pty->slave.get()); !st) return st.error();
    tty_master_ = std::move(pty->master);
    tty_slave_ = std::move(pty->slave);
    if (Status st = os::SetNonBlocking(tty_master_.get(), true); !st) return st;
    spec_->stdout_fd = spec_->stderr_fd = tty_slave_.get();
    spec_->foreground_tty = true;
    opt.tty_target = os::FdIdentity(tty_slave_.get());
    opt.tty_fd = tty_slave_.get();
  } else {
    auto out_pipe = os::MakePipe();
    auto err_pipe = os::MakePipe();
    if (!out_pipe) return out_pipe.error();
    if (!err_pipe) return err_pipe.error();
    if (Status st = os::SetNonBlocking(out_pipe->read.get(), true); !st) return st;
    if (Status st = os::SetNonBlocking(err_pipe->read.get(), true); !st) return st;
    opt.stdout_target = os::FdIdentity(out_pipe->write.get());
    opt.stderr_target = os::FdIdentity(err_pipe->write.get());
    stdout_r_ = std::move(out_pipe->read);
    stderr_r_ = std::move(err_pipe->read);
    stdout_w_ = std::move(out_pipe->write);
    stderr_w_ = std::move(err_pipe->write);
    spec_->stdout_fd = stdout_w_.get();
    spec_->stderr_fd = stderr_w_.get();
    opt.stdout_w = stdout_w_.get();
    opt.stderr_w = stderr_w_.get();
    opt.stdout_r = stdout_r_.get();
    opt.stderr_r = stderr_r_.get();
  }
  if (auto st = SetupInput(&*spec_, &child_stdin); !st) return st;

  LabInfo info;
  info.pid = lab_pid_;
  info.pid_namespace = place_.pid_namespace;
  info.user_namespace = place_.user_namespace;
  info.note = place_.fallback_reason;
  info.uid = id->effective_uid;
  info.cgroup = PrepareCgroup();
  if (Status st = PinCpus(&info); !st) return st;
  if (!config_.cpus.empty()) opt.granted_cpus = info.cpus;
  tracer_.ReadAffinity(!opt.granted_cpus.empty());
  if (cgroup_) cgroup_cpu_start_us_ = cgroup_->CpuUsageUs().value_or(-1);
  info.network = place_.own_network ? "loopback only" : "host";

  output_.emplace(config_.output_cap, [this](Event e) { Emit(std::move(e)); });
  const char* debug = getenv("PROCLAB_DEBUG");
  opt.debug = config_.debug || (debug && std::string_view(debug) == "1");
  if (cgroup_ && cgroup_->Has("memory"))
    opt.oom_killed = [this] {
      if (!cgroup_) return false;
      const int64_t now = cgroup_->OomKills().value_or(0);
      return now > std::exchange(oom_kills_seen_, now);
    };
  sup_.emplace(
      opt, tracee_ops_, [this] { return Now(); }, [this](Event e) { Emit(std::move(e)); },
      &*output_);
  sup_->SetHypercallHandler(this);

  // Nothing of the caller's environment may be read from here on (programs
  // get their own, explicit one).
  os::ScrubOwnEnvironment();
  static const os::SeccompFilter filter;
  spec_->argv = config_.argv;
  spec_->env = ProgramEnvironment(config_.env, scratch_.path(), id->name);
  spec_->cwd = config_.cwd;
  spec_->uid = id->uid;
  program_uid_ = id->uid == static_cast<uid_t>(-1) ? geteuid() : id->uid;
  start_wall_ = time(nullptr);
  spec_->gid = id->gid;
  // Core files: none, not even if the program raises its own limit, unless
  // the scenario expects one and a dump replaces nothing (PrepareCores). The
  // host's core_pattern decides where a dump goes (usually the program's
  // folder); the lab reports and removes it.
  PrepareCores();
  const rlim_t core =
      no_core_.empty() ? static_cast<rlim_t>(std::max<int64_t>(config_.core_limit, 0)) : 0;
  spec_->rlimits.push_back({RLIMIT_CORE, core, core});
  if (config_.memory_limit > 0 && !(kSanitized && config_.run_in_child)) {
    rlim_t bytes = static_cast<rlim_t>(config_.memory_limit);
    spec_->rlimits.push_back({RLIMIT_AS, bytes, bytes});
  }
  if (config_.file_size_limit > 0) {
    const rlim_t bytes = static_cast<rlim_t>(config_.file_size_limit);
    spec_->rlimits.push_back({RLIMIT_FSIZE, bytes, bytes});
  }
  if (config_.open_files_limit > 0) {
    const rlim_t n = static_cast<rlim_t>(config_.open_files_limit);
    spec_->rlimits.push_back({RLIMIT_NOFILE, n, n});
  }
  if (config_.cpu_limit_us > 0) {
    // SIGXCPU at the soft limit, SIGKILL a second later.
    rlim_t s = Ceil(config_.cpu_limit_us);
    spec_->rlimits.push_back({RLIMIT_CPU, s, s + 1});
  }
  spec_->filter = &filter;
  spec_->run_in_child = config_.run_in_child;
  if (Status st = WatchFiles(program_uid_, id->gid == static_cast<gid_t>(-1) ? getegid() : id->gid);
      !st)
    return st;

  // Every stop of every program waits on the lab: on a busy machine it must
  // get a CPU as soon as a stop wakes it. The programs keep the caller's nice.
  if (auto before = os::RaiseOwnPriority(kLabPriorityBoost)) spec_->nice = *before;
  // In the group before it runs anything: every descendant is born there.
  // The child moves itself (SpawnSpec::join_fds); if it could not, the lab
  // moves it, and that error is the one to report.
  std::vector<os::UniqueFd> join_files;
  if (cgroup_)
    if (auto files = cgroup_->OpenJoinFiles()) join_files = std::move(*files);
  for (const auto& fd : join_files) spec_->join_fds.push_back(fd.get());
  const bool self_join = !join_files.empty();
  auto child = os::SpawnBlocked(*spec_);
  spec_->join_fds.clear();
  join_files.clear();
  if (!child) return child.error();
  child_.emplace(std::move(*child));
  if (cgroup_) {
    auto joined = child_->AwaitJoin();
    if (!joined) return joined.error();
    if (*joined != 0 || !self_join) {
      if (Status st = cgroup_->Join(child_->pid()); !st) {
        info.cgroup = "none: " + st.error().message;
        cgroup_.reset();
      }
    }
  }
  out_.Lab(info, config_.argv, scratch_.top());
  local_.lab = info;
  local_.command = config_.argv;
  // Not seized: dropping the child closes its go pipe and reaps it.
  if (auto st = os::Tracer::Seize(child_->pid()); !st) {
    child_.reset();
    return st.error();
  }
  child_->TracerReaps();
  out_.Main(child_->pid());
  local_.main_pid = child_->pid();
  sup_->AddMain(child_->pid(), config_.argv, config_.actor);
  if (!no_core_.empty()) {
    Event e;
    e.type = EventType::kLimit;
    e.kind = "no_core";
    e.detail = no_core_;
    Emit(std::move(e));
  }
  if (auto st = child_->Go(); !st) return st.error();
  // child_stdin closes here: the program holds it alone.
  out_.Flush();
  return {};
}

void Lab::Finish() {
  CheckLaunch();
  if (sup_) sup_->SweepGone();
  DrainPipe(stdout_r_, Stream::kStdout);
  DrainPipe(stderr_r_, Stream::kStderr);
  DrainTty();
  output_->FlushAll(Now());
  if (config_.driver) config_.driver->Finish(*this);
  if (cgroup_) {
    // OOM kills not already named at a process's exit.
    if (const int64_t ooms = cgroup_->OomKills().value_or(0) - oom_kills_seen_; ooms > 0) {
      Event e;
      e.type = EventType::kLimit;
      e.kind = "memory_total";
      e.detail =
          fmt::format("the run reached its {} memory limit: the OOM killer ended {} process{}",
                      FormatSize(config_.memory_total), ooms, ooms == 1 ? "" : "es");
      Emit(std::move(e));
    }
    // Containment, checked by the group too: nothing of the run may be left.
    if (auto left = cgroup_->Members(); !left.empty()) {
      (void)cgroup_->KillAll();
      if (lab_error_.empty())
        lab_error_ = fmt::format("{} process{} the tracer did not see were left in the cgroup",
                                 left.size(), left.size() == 1 ? "" : "es");
    }
  }
  RemoveCores();
  RecordFiles();
  RunSummary summary;
  summary.end_us = Now();
  for (Stream s : {Stream::kStdout, Stream::kStderr}) {
    const int i = s == Stream::kStdout ? 0 : 1;
    summary.output_dropped[i] = output_->dropped(s);
    summary.output_unattributed[i] = output_->unattributed(s);
  }
  summary.forks_refused = sup_->forks_refused();
  summary.threads_refused = sup_->threads_refused();
  summary.events_dropped = events_dropped_;
  summary.lab_error = lab_error_;
  summary.cpu_us = sup_->cpu_total_us();
  if (cgroup_ && cgroup_cpu_start_us_ >= 0)
    if (auto now = cgroup_->CpuUsageUs()) summary.cgroup_cpu_us = *now - cgroup_cpu_start_us_;
  out_.End(summary);
  out_.Flush();
  scratch_.Remove();
}

int Lab::Run() {
  if (auto st = Setup(); !st) return Fail(st.error().message);
  Loop();
  Finish();
  return lab_error_.empty() ? 0 : 3;
}

int RunLabProcess(const LabConfig& config, const os::LabPlace& place, int events_fd,
                  int lifeline_fd) {
  Lab lab(config, place, events_fd, lifeline_fd);
  return lab.Run();
}

}  // namespace proclab
