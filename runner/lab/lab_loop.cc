// The lab's single-threaded loop: trace stops first, then pipes, input,
// checkpoints, steps and deadlines; sleep in ppoll until a SIGCHLD, a
// readable pipe or the next deadline.
#include <errno.h>
#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>

#include "runner/base/clock.h"
#include "runner/base/units.h"
#include "runner/lab/lab.h"
#include "runner/lab/stuck_snapshot.h"
#include "runner/os/procfs.h"
#include "runner/os/sys_error.h"

namespace proclab {
namespace {

// How long the lab waits for SIGKILLed processes to be reported gone before it
// gives up on them (a task stuck in uninterruptible sleep).
constexpr int64_t kKillGraceUs = 5'000'000;
// The most a timed sleep may stretch the linger when the run has no timeout.
constexpr int64_t kMaxLingerUs = 30'000'000;
// Longest an event waits in the lab before it is sent to the runner: one
// wakeup of the runner per event would cost more than tracing a fork storm.
constexpr int64_t kFlushEveryUs = 20'000;
// Up to this many tracees the lab looks at them all for the next stop.
constexpr size_t kWalkAllBelow = 64;

}  // namespace

// A stop just handled is often followed by the next one within microseconds
// (a fork's event after its seccomp stop, a wait's exit after the child's
// exit): looks for it a little while, yielding the CPU to the tracee we just
// restarted, rather than sleeping in ppoll and being woken by SIGCHLD for it.
// On a fork storm it took the lab's sleeps from 2.8 to 1.1 per cycle and
// the wall time down by about a fifth: the stop is seen without the wait for
// SIGCHLD's delivery and the lab's wakeup (bench/README.md). Only right after
// a stop, so a quiet program costs nothing; how long, SpinWindow learns.
// With many tracees it asks about the likely tasks (LikelyStops), each at
// once, and looks at every tracee (a walk as long as the tracees are many)
// when the time is up, and meanwhile as often as keeps the walks to a fifth
// of the time or so: 10,000 children exiting at once are none of them likely.
os::TraceStop Lab::AwaitNextStop() {
  const int64_t started = Now();
  const int64_t until = started + spin_.us();
  for (int64_t now = started; !tracer_.NoChildren() && now < until;) {
    sched_yield();
    const int64_t yielded = Now() - now;
    os::TraceStop stop = NextStop();
    if (stop.kind != os::StopKind::kNone) return stop;
    // The yield gave the CPU to a task that did not stop: the programs
    // want the CPUs, and the look would take its share from them.
    if (spin_.Contended(yielded)) break;
    now = Now();
  }
  os::TraceStop stop = WalkAll();
  if (stop.kind == os::StopKind::kNone) spin_.GaveUp(started);
  return stop;
}

os::TraceStop Lab::WalkAll() {
  const int64_t before = Now();
  os::TraceStop stop = tracer_.Next();
  walked_at_ = Now();
  walk_us_ = walked_at_ - before;
  return stop;
}

// A stop of a likely task, if one has stopped (Tracer::NextOf), or of any
// task when a walk of them all is due: with few tracees always (it costs no
// more than one question), otherwise once the time since the last walk is
// four times what it took. So a task that keeps stopping cannot hold back
// another's stop for long, and a walk of 10,000 tracees is not made at
// every stop.
os::TraceStop Lab::NextStop() {
  if (sup_->task_count() <= kWalkAllBelow || Now() - walked_at_ >= 4 * walk_us_) return WalkAll();
  return tracer_.NextOf(likely_.tids());
}

// Handles pending stops, at most a batch at a time so deadlines and pipes are
// served even while a fork bomb keeps the tracer busy. Returns true when more
// may be pending.
bool Lab::DrainTracer() {
  for (int i = 0; i < 512; ++i) {
    os::TraceStop stop = NextStop();
    if (i == 0) {  // the lab slept, or took care of other things: a stop is there or not
      if (stop.kind == os::StopKind::kNone) stop = WalkAll();
      if (stop.kind != os::StopKind::kNone) spin_.StopAfterSleep(Now());
    }
    if (stop.kind == os::StopKind::kNone && i > 0) stop = AwaitNextStop();
    if (stop.kind == os::StopKind::kNone) return false;
    hold_events_ = true;
    sup_->Handle(stop);
    hold_events_ = false;
    likely_.After(stop);
    ReleaseHeld();
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

// What the pty master gives back is the echo of our input and the program's
// output, which the lab already has, attributed, from its writes.
void Lab::DrainTty() {
  if (!tty_master_) return;
  char buf[65536];
  for (;;) {
    ssize_t n = read(tty_master_.get(), buf, sizeof buf);
    if (n > 0) continue;
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) tty_master_.Reset();  // EIO: hung up
    return;
  }
}

void Lab::FlushInput() {
  while (input_ && !input_pending_.empty()) {
    ssize_t n = write(input_.get(), input_pending_.data(), input_pending_.size());
    if (n < 0) {
      if (errno == EAGAIN) return;  // the program is not reading: try again later
      input_.Reset();               // EPIPE: nobody will ever read it
      input_pending_.clear();
      return;
    }
    input_pending_.erase(0, static_cast<size_t>(n));
  }
  if (input_ && input_pending_.empty() && close_input_when_flushed_) input_.Reset();
}

void Lab::CheckLaunch() {
  if (!child_ || child_->error_fd() < 0) return;
  if (auto failure = child_->ReadFailure()) {
    const bool not_found = failure->stage == os::LaunchFailure::kExec && failure->err == ENOENT;
    out_.LaunchError(failure->Describe(*spec_), not_found);
    local_.launch_error = failure->Describe(*spec_);
    local_.launch_not_found = not_found;
  }
}

void Lab::StartKilling(const std::string& reason) {
  if (kill_started_us_ >= 0) return;
  sup_->KillAll(reason);
  // The group kills what the tracer might not have reached yet (forks in
  // flight), all at once.
  if (cgroup_) (void)cgroup_->KillAll();
  kill_started_us_ = Now();
}

// Steps look again only when something they could be waiting for changed:
// new events, new output (a prompt has no event yet), or their own time.
bool Lab::DriverDue() {
  const size_t events = local_.events().size();
  const uint64_t writes = output_->writes();
  const bool due = !driver_called_ || events != driver_events_ || writes != driver_writes_ ||
                   (driver_wakeup_us_ >= 0 && Now() >= driver_wakeup_us_);
  driver_called_ = true;
  driver_events_ = events;
  driver_writes_ = writes;
  return due;
}

int64_t Lab::NextDeadline() const {
  int64_t next = -1;
  auto consider = [&](int64_t at) {
    if (at >= 0 && (next < 0 || at < next)) next = at;
  };
  if (kill_started_us_ < 0) {
    if (config_.timeout_us > 0) consider(config_.timeout_us);
    if (main_exit_us_ >= 0)
      consider(linger_until_ >= 0 ? linger_until_ : main_exit_us_ + config_.linger_us);
    consider(driver_wakeup_us_);
    consider(next_sample_us_);
  } else {
    consider(kill_started_us_ + kKillGraceUs);
  }
  return next;
}

void Lab::Deadlines() {
  const int64_t now = Now();
  if (kill_started_us_ < 0 && config_.timeout_us > 0 && now >= config_.timeout_us) {
    Event e;
    e.type = EventType::kLimit;
    e.kind = "timeout";
    e.detail = fmt::format("the run passed its {}s timeout", config_.timeout_us / 1e6);
    // Where each live process was stuck, read before the kill ends it all.
    const auto running = sup_->Running();
    for (auto& s : sup_->Snapshot())
      if (std::find(running.begin(), running.end(), s.pid) != running.end())
        e.processes.push_back(std::move(s));
    AddStuckFacts(&e.processes, local_);
    Emit(std::move(e));
    StartKilling("timeout");
  }
  if (kill_started_us_ < 0 && main_exit_us_ >= 0) {
    if (linger_until_ < 0) linger_until_ = main_exit_us_ + config_.linger_us;
    if (now >= linger_until_) {
      // Something left sleeps a sleep that ends by itself (the double
      // fork's textbook sleep(2) equals the default linger): the linger runs
      // again from the last time one was seen, up to the timeout, or
      // kMaxLingerUs past the main exit without one.
      const int64_t cap =
          config_.timeout_us > 0 ? config_.timeout_us : main_exit_us_ + kMaxLingerUs;
      const auto left = sup_->Running();
      const bool sleeping = std::any_of(left.begin(), left.end(), os::InTimedSleep);
      if (sleeping) last_timed_sleep_us_ = now;
      const int64_t quiet_until =
          last_timed_sleep_us_ >= 0 ? last_timed_sleep_us_ + config_.linger_us : -1;
      if (now < cap && (sleeping || now < quiet_until))
        linger_until_ = std::min(cap, sleeping ? now + 50'000 : quiet_until);
      else
        StartKilling(fmt::format("still running {}s after the main process exited",
                                 linger_until_ == main_exit_us_ + config_.linger_us
                                     ? fmt::format("{}", config_.linger_us / 1e6)
                                     : FormatSeconds(now - main_exit_us_)));
    }
  }
  if (kill_started_us_ < 0 && events_capped_)
    StartKilling(fmt::format("the timeline reached {}", EventCapText()));
  if (kill_started_us_ < 0 && sup_->fork_bomb())
    StartKilling(sup_->last_refused() == "tasks"
                     ? "thread bomb: it kept creating threads or processes at the task cap"
                     : "fork bomb: it kept forking at the process cap");
  if (kill_started_us_ >= 0 && now >= kill_started_us_ + kKillGraceUs) gave_up_ = true;
}

void Lab::Loop() {
  if (config_.sample_every_us > 0) next_sample_us_ = Now() + config_.sample_every_us;
  for (;;) {
    const bool busy = DrainTracer();
    if (tracer_.NoChildren()) return;
    if (gave_up_) {
      std::string left;
      for (pid_t pid : sup_->Running()) left += fmt::format(" {}", pid);
      lab_error_ = fmt::format("processes survived SIGKILL for 5s:{}", left);
      return;
    }
    TakePendingCheckpoints();
    if (config_.driver && kill_started_us_ < 0 && DriverDue())
      driver_wakeup_us_ = config_.driver->Advance(*this);
    FlushInput();

    int timeout = -1;
    if (busy) {
      timeout = 0;
    } else if (int64_t next = NextDeadline(); next >= 0) {
      timeout = PollTimeoutMs(next, Now());
    }
    if (out_.pending()) {
      if (Now() - last_flush_us_ >= kFlushEveryUs || out_.pending() > (32 << 10)) {
        if (!out_.Flush()) StartKilling("the runner went away");
        last_flush_us_ = Now();
      } else {
        int until = static_cast<int>((last_flush_us_ + kFlushEveryUs - Now() + 999) / 1000);
        timeout = timeout < 0 ? until : std::min(timeout, until);
      }
    }
    pollfd fds[6] = {
        {stdout_r_.get(), POLLIN, 0},
        {stderr_r_.get(), POLLIN, 0},
        {child_ ? child_->error_fd() : -1, POLLIN, 0},
        {lifeline_, POLLIN, 0},
        {tty_master_.get(), POLLIN, 0},
        {input_pending_.empty() ? -1 : input_.get(), POLLOUT, 0},
    };
    int n = poller_->Poll(fds, 6, timeout);
    if (n < 0 && errno != EINTR) {
      lab_error_ = os::SysError("ppoll").message;
      return;
    }
    if (fds[0].revents) DrainPipe(stdout_r_, Stream::kStdout);
    if (fds[1].revents) DrainPipe(stderr_r_, Stream::kStderr);
    if (fds[2].revents) CheckLaunch();
    if (fds[3].revents) {
      // EOF on the lifeline: the runner was cancelled or died.
      StartKilling("the run was cancelled");
      lifeline_ = -1;
    }
    if (fds[4].revents) DrainTty();
    Deadlines();
    if (next_sample_us_ >= 0 && kill_started_us_ < 0 && Now() >= next_sample_us_) Sample();
  }
}

}  // namespace proclab
