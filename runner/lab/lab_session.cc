#include "runner/lab/lab_session.h"

#include <errno.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner/base/clock.h"
#include "runner/lab/lab_process.h"
#include "runner/os/lab_isolation.h"
#include "runner/os/scratch_dir.h"
#include "runner/os/sys_error.h"

namespace proclab {

Result<std::unique_ptr<LabSession>> LabSession::Start(const LabConfig& config) {
  auto events = os::MakePipe();
  if (!events) return events.error();
  auto lifeline = os::MakePipe();
  if (!lifeline) return lifeline.error();
  const int events_w = events->write.get();
  const int lifeline_r = lifeline->read.get();
  const int events_r = events->read.get();
  const int lifeline_w = lifeline->write.get();
  (void)events_r;
  (void)lifeline_w;
  // The lab keeps only its two ends: the runner's ends (or another lab's)
  // would hide EOF both ways.
  auto handle = os::StartLab(config.isolation, config.host_network, {events_w, lifeline_r},
                             [&](const os::LabPlace& place) {
                               return RunLabProcess(config, place, events_w, lifeline_r);
                             });
  if (!handle) return handle.error();
  std::unique_ptr<LabSession> s(new LabSession());
  s->lab_ = os::Child(handle->pid, os::StopPolicy{SIGKILL, 0});
  s->events_ = std::move(events->read);
  s->lifeline_ = std::move(lifeline->write);
  return s;
}

LabSession::~LabSession() {
  if (!lab_.owned()) return;
  // Abandoned mid-run: EOF on the lifeline asks the lab to tear down. SIGKILL
  // (lab_'s stop policy) is the backstop; its namespace or EXITKILL takes the
  // programs with it, but not its scratch folder.
  lifeline_.Reset();
  const int64_t deadline = MonotonicUs() + kTeardownGraceUs;
  char buf[65536];
  while (MonotonicUs() < deadline) {
    if (lab_.Poll()) return;
    if (!events_) {
      timespec pause{0, 5'000'000};
      nanosleep(&pause, nullptr);
      continue;
    }
    pollfd p{events_.get(), POLLIN, 0};
    if (poll(&p, 1, 50) > 0) {
      const ssize_t n = read(events_.get(), buf, sizeof buf);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) events_.Reset();
    }
  }
}

bool LabSession::Pump(std::vector<Event>* fresh) {
  if (!events_) return false;
  char buf[65536];
  for (;;) {
    ssize_t n = read(events_.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0 && errno == EAGAIN) return true;
      events_.Reset();
      return false;
    }
    auto got = reader_.Feed(std::string_view(buf, static_cast<size_t>(n)));
    if (fresh) fresh->insert(fresh->end(), got.begin(), got.end());
    // One read per call keeps a busy lab from starving other sessions.
    return true;
  }
}

Timeline LabSession::Finish() {
  while (Pump()) {
  }
  int status = 0;
  if (lab_.owned()) {
    auto waited = lab_.Wait();
    if (waited) status = *waited;
  }
  if (!reader_.error().empty() && timeline_.summary.lab_error.empty())
    timeline_.summary.lab_error = reader_.error();
  // A lab that died did not remove the run's folder: the runner does. The
  // process waited for may be the lab's keeper: the lab itself dies of
  // PDEATHSIG a moment later, and holds the folder until then.
  if (!timeline_.complete && !timeline_.scratch.empty())
    os::RemoveAbandonedScratchDir(timeline_.scratch, kTeardownGraceUs);
  if (!timeline_.complete && timeline_.summary.lab_error.empty()) {
    timeline_.summary.lab_error =
        WIFSIGNALED(status) ? fmt::format("the lab died of signal {}", WTERMSIG(status))
                            : fmt::format("the lab exited ({}) without finishing its timeline",
                                          WEXITSTATUS(status));
  }
  return std::move(timeline_);
}

Result<Timeline> RunLab(const LabConfig& config) {
  auto session = LabSession::Start(config);
  if (!session) return session.error();
  return (*session)->Finish();
}

}  // namespace proclab
