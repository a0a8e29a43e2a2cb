#include "runner/lab/lab_session.h"

#include <errno.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/lab/lab_process.h"
#include "runner/os/lab_isolation.h"
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
  auto handle =
      os::StartLab(config.isolation, {events_w, lifeline_r}, [&](const os::LabPlace& place) {
        return RunLabProcess(config, place, events_w, lifeline_r);
      });
  if (!handle) return handle.error();
  std::unique_ptr<LabSession> s(new LabSession());
  s->pid_ = handle->pid;
  s->events_ = std::move(events->read);
  s->lifeline_ = std::move(lifeline->write);
  return s;
}

LabSession::~LabSession() {
  if (pid_ > 0) {
    // Abandoned mid-run: the lab's teardown kills everything; SIGKILL is the
    // backstop (its namespace or EXITKILL takes the programs with it).
    lifeline_.Reset();
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
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
  if (pid_ > 0) {
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  if (!reader_.error().empty() && timeline_.summary.lab_error.empty())
    timeline_.summary.lab_error = reader_.error();
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
