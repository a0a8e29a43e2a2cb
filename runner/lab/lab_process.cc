#include "runner/lab/lab_process.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "runner/base/clock.h"
#include "runner/lab/event_stream.h"
#include "runner/lab/output_capture.h"
#include "runner/lab/supervisor.h"
#include "runner/os/accounts.h"
#include "runner/os/procfs.h"
#include "runner/os/scratch_dir.h"
#include "runner/os/signal_fd.h"
#include "runner/os/spawn.h"
#include "runner/os/sys_error.h"
#include "runner/os/tracer.h"

namespace proclab {
namespace {

// How long the lab waits for SIGKILLed processes to be reported gone before it
// gives up on them (a task stuck in uninterruptible sleep).
constexpr int64_t kKillGraceUs = 5'000'000;
// Longest an event waits in the lab before it is sent to the runner.
constexpr int64_t kFlushEveryUs = 20'000;

// The lab's own descriptors 0-2 point at /dev/null except stderr, so nothing
// the lab opens can land on them.
void SettleOwnStdio() {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) return;
  dup2(null, 0);
  dup2(null, 1);
  if (null > 2) close(null);
}

struct Identity {
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
  std::string name;
  int effective_uid = 0;
};

Result<Identity> ProgramIdentity(const LabConfig& config, const os::LabPlace& place) {
  Identity id;
  if (geteuid() != 0 || place.user_namespace || config.user == "root") {
    // Not root (or root only inside our own user namespace): programs keep our uid.
    id.effective_uid = static_cast<int>(place.user_namespace ? 0 : geteuid());
    id.name = config.user == "root" || place.user_namespace ? "root" : "user";
    if (auto acct = os::LookupAccount(std::to_string(geteuid())); acct && !place.user_namespace)
      id.name = acct->name;
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

class Lab {
 public:
  Lab(const LabConfig& config, const os::LabPlace& place, int events_fd, int lifeline_fd)
      : config_(config), place_(place), out_(events_fd), lifeline_(lifeline_fd),
        start_us_(MonotonicUs()) {}

  int Run();

 private:
  int64_t Now() const { return MonotonicUs() - start_us_; }
  void Emit(Event e) {
    if (e.t_us == 0) e.t_us = Now();
    out_.Event(e);
  }
  Status Setup();
  void Loop();
  bool DrainTracer();
  void DrainPipe(os::UniqueFd& fd, Stream stream);
  void CheckLaunch();
  int PollTimeoutMs() const;
  void Deadlines();
  int Fail(const std::string& message);

  const LabConfig& config_;
  os::LabPlace place_;
  EventStreamWriter out_;
  int lifeline_;
  int64_t start_us_;
  pid_t lab_pid_ = 0;
  os::Tracer tracer_;
  std::optional<os::SigchldPoller> poller_;
  int64_t last_flush_us_ = 0;
  os::UniqueFd stdout_r_, stderr_r_;
  os::ScratchDir scratch_;
  std::optional<os::ProgramChild> child_;
  std::optional<os::SpawnSpec> spec_;
  std::optional<OutputCapture> output_;
  std::optional<Supervisor> sup_;
  int64_t main_exit_us_ = -1;
  int64_t kill_started_us_ = -1;
  bool gave_up_ = false;
  std::string lab_error_;
};

int Lab::Fail(const std::string& message) {
  RunSummary summary;
  summary.end_us = Now();
  summary.lab_error = message;
  out_.End(summary);
  out_.Flush();
  return 3;
}

Status Lab::Setup() {
  SettleOwnStdio();
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTTOU, SIG_IGN);
  signal(SIGTTIN, SIG_IGN);
  signal(SIGTSTP, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
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

  auto out_pipe = os::MakePipe();
  auto err_pipe = os::MakePipe();
  if (!out_pipe) return out_pipe.error();
  if (!err_pipe) return err_pipe.error();
  os::SetNonBlocking(out_pipe->read.get(), true);
  os::SetNonBlocking(err_pipe->read.get(), true);

  os::UniqueFd in(open(config_.stdin_path.empty() ? "/dev/null" : config_.stdin_path.c_str(),
                       O_RDONLY | O_CLOEXEC));
  if (!in) return os::SysError(fmt::format("open({})", config_.stdin_path));

  LabInfo info;
  info.pid = lab_pid_;
  info.pid_namespace = place_.pid_namespace;
  info.user_namespace = place_.user_namespace;
  info.note = place_.fallback_reason;
  info.uid = id->effective_uid;
  out_.Lab(info, config_.argv);

  output_.emplace(config_.output_cap, [this](Event e) { Emit(std::move(e)); });
  Supervisor::Options opt;
  opt.lab_pid = lab_pid_;
  opt.pid_namespace = place_.pid_namespace;
  opt.max_processes = config_.max_processes;
  opt.stdout_target = os::FdIdentity(out_pipe->write.get());
  opt.stderr_target = os::FdIdentity(err_pipe->write.get());
  sup_.emplace(opt, [this] { return Now(); }, [this](Event e) { Emit(std::move(e)); }, &*output_);

  static const os::SeccompFilter filter;
  spec_.emplace();
  spec_->argv = config_.argv;
  spec_->env = ProgramEnvironment(config_.env, scratch_.path(), id->name);
  spec_->cwd = config_.cwd;
  spec_->stdin_fd = in.get();
  spec_->stdout_fd = out_pipe->write.get();
  spec_->stderr_fd = err_pipe->write.get();
  spec_->uid = id->uid;
  spec_->gid = id->gid;
  // No core files in the program's directory unless it raises this itself.
  spec_->rlimits.push_back({RLIMIT_CORE, 0, RLIM_INFINITY});
  spec_->filter = &filter;

  auto child = os::SpawnBlocked(*spec_);
  if (!child) return child.error();
  child_.emplace(std::move(*child));
  if (auto st = os::Tracer::Seize(child_->pid()); !st) {
    kill(child_->pid(), SIGKILL);
    return st.error();
  }
  out_.Main(child_->pid());
  sup_->AddMain(child_->pid(), config_.argv);
  if (auto st = child_->Go(); !st) return st.error();
  // The write ends now belong to the program alone: EOF means every writer is gone.
  stdout_r_ = std::move(out_pipe->read);
  stderr_r_ = std::move(err_pipe->read);
  out_.Flush();
  return {};
}

// Handles pending stops, at most a batch at a time so deadlines and pipes are
// served even while a fork bomb keeps the tracer busy. Returns true when more
// may be pending.
bool Lab::DrainTracer() {
  for (int i = 0; i < 512; ++i) {
    os::TraceStop stop = tracer_.Next();
    if (stop.kind == os::StopKind::kNone) return false;
    sup_->Handle(stop);
    if (sup_->main_exited() && main_exit_us_ < 0) main_exit_us_ = Now();
  }
  return true;
}

void Lab::DrainPipe(os::UniqueFd& fd, Stream stream) {
  if (!fd) return;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n > 0) {
      output_->PipeBytes(stream, n);
      continue;
    }
    if (n == 0) fd.Reset();  // every writer closed it
    return;
  }
}

void Lab::CheckLaunch() {
  if (!child_ || child_->error_fd() < 0) return;
  if (auto failure = child_->ReadFailure()) out_.LaunchError(failure->Describe(*spec_));
}

int Lab::PollTimeoutMs() const {
  int64_t now = Now();
  int64_t next = -1;
  auto consider = [&](int64_t at) {
    if (at >= 0 && (next < 0 || at < next)) next = at;
  };
  if (config_.timeout_us > 0 && kill_started_us_ < 0) consider(config_.timeout_us);
  if (main_exit_us_ >= 0 && kill_started_us_ < 0) consider(main_exit_us_ + config_.linger_us);
  if (kill_started_us_ >= 0) consider(kill_started_us_ + kKillGraceUs);
  if (next < 0) return -1;
  return static_cast<int>(std::max<int64_t>(0, (next - now + 999) / 1000));
}

void Lab::Deadlines() {
  const int64_t now = Now();
  if (kill_started_us_ < 0 && config_.timeout_us > 0 && now >= config_.timeout_us) {
    Event e;
    e.type = EventType::kLimit;
    e.kind = "timeout";
    e.detail = fmt::format("the run passed its {:.3g}s timeout", config_.timeout_us / 1e6);
    Emit(std::move(e));
    sup_->KillAll("timeout");
    kill_started_us_ = now;
  }
  if (kill_started_us_ < 0 && main_exit_us_ >= 0 && now >= main_exit_us_ + config_.linger_us) {
    sup_->KillAll(fmt::format("still running {:.3g}s after the main process exited",
                              config_.linger_us / 1e6));
    kill_started_us_ = now;
  }
  if (kill_started_us_ < 0 && sup_->fork_bomb()) {
    sup_->KillAll("fork bomb: it kept forking at the process cap");
    kill_started_us_ = now;
  }
  if (kill_started_us_ >= 0 && now >= kill_started_us_ + kKillGraceUs) gave_up_ = true;
}

void Lab::Loop() {
  for (;;) {
    const bool busy = DrainTracer();
    if (tracer_.NoChildren()) return;
    if (gave_up_) {
      std::string left;
      for (pid_t pid : sup_->Running()) left += fmt::format(" {}", pid);
      lab_error_ = fmt::format("processes survived SIGKILL for 5s:{}", left);
      return;
    }
    // Events go to the runner in batches: one wakeup of the runner per event
    // would cost more than the tracing itself during a fork storm.
    int timeout = busy ? 0 : PollTimeoutMs();
    if (out_.pending()) {
      if (Now() - last_flush_us_ >= kFlushEveryUs || out_.pending() > (32 << 10)) {
        if (!out_.Flush() && kill_started_us_ < 0) {
          sup_->KillAll("the runner went away");
          kill_started_us_ = Now();
        }
        last_flush_us_ = Now();
      } else {
        int until = static_cast<int>((last_flush_us_ + kFlushEveryUs - Now() + 999) / 1000);
        timeout = timeout < 0 ? until : std::min(timeout, until);
      }
    }
    pollfd fds[5] = {
        {-1, 0, 0},
        {stdout_r_.get(), POLLIN, 0},
        {stderr_r_.get(), POLLIN, 0},
        {child_ ? child_->error_fd() : -1, POLLIN, 0},
        {lifeline_, POLLIN, 0},
    };
    int n = poller_->Poll(fds, 5, timeout);
    if (n < 0 && errno != EINTR) {
      lab_error_ = os::SysError("poll").message;
      return;
    }
    if (fds[1].revents) DrainPipe(stdout_r_, Stream::kStdout);
    if (fds[2].revents) DrainPipe(stderr_r_, Stream::kStderr);
    if (fds[3].revents) CheckLaunch();
    if (fds[4].revents && kill_started_us_ < 0) {
      // EOF on the lifeline: the runner was cancelled or died.
      sup_->KillAll("the run was cancelled");
      kill_started_us_ = Now();
      lifeline_ = -1;
    }
    Deadlines();
  }
}

int Lab::Run() {
  if (auto st = Setup(); !st) return Fail(st.error().message);
  Loop();
  CheckLaunch();
  DrainPipe(stdout_r_, Stream::kStdout);
  DrainPipe(stderr_r_, Stream::kStderr);
  output_->FlushAll(Now());
  RunSummary summary;
  summary.end_us = Now();
  for (Stream s : {Stream::kStdout, Stream::kStderr}) {
    summary.output_dropped[s == Stream::kStdout ? 0 : 1] = output_->dropped(s);
    summary.output_unattributed[s == Stream::kStdout ? 0 : 1] = output_->unattributed(s);
  }
  summary.forks_refused = sup_->forks_refused();
  summary.lab_error = lab_error_;
  out_.End(summary);
  out_.Flush();
  scratch_.Remove();
  return lab_error_.empty() ? 0 : 3;
}

}  // namespace

int RunLabProcess(const LabConfig& config, const os::LabPlace& place, int events_fd,
                  int lifeline_fd) {
  Lab lab(config, place, events_fd, lifeline_fd);
  return lab.Run();
}

}  // namespace proclab
