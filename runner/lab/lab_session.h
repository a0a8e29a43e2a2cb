// The runner's side of one lab run: forks the lab, reads its event stream into
// a Timeline, and can cancel it. Several sessions can be pumped from one poll
// loop (proclab run --jobs N); RunLab() is the blocking form.
#pragma once

#include <sys/types.h>

#include <memory>
#include <vector>

#include "runner/base/error.h"
#include "runner/lab/event_stream.h"
#include "runner/lab/lab_config.h"
#include "runner/os/child.h"
#include "runner/os/unique_fd.h"
#include "runner/timeline/timeline.h"

namespace proclab {

class LabSession {
 public:
  // Forks the lab. The runner must be single-threaded.
  static Result<std::unique_ptr<LabSession>> Start(const LabConfig& config);
  ~LabSession();

  [[nodiscard]] int fd() const { return events_.get(); }  // poll for POLLIN
  // Reads what the lab has sent; returns false once the stream has ended.
  bool Pump(std::vector<Event>* fresh = nullptr);
  // Closes the lifeline: the lab kills every process and ends.
  void Cancel() { lifeline_.Reset(); }
  // The lab process (or its keeper), for tests.
  [[nodiscard]] pid_t pid() const { return lab_.pid(); }
  // Waits for the lab to exit and returns the timeline. When the lab died
  // without its summary, summary.lab_error says so.
  Timeline Finish();

  [[nodiscard]] const Timeline& timeline() const { return timeline_; }

 private:
  LabSession() : reader_(&timeline_) {}
  // Dropped unfinished, the lab gets the time its teardown needs (killing
  // every process, removing its scratch folder) while its events are drained,
  // so it never blocks writing them; SIGKILL only after that.
  static constexpr int64_t kTeardownGraceUs = 6'000'000;
  os::Child lab_;
  os::UniqueFd events_;
  os::UniqueFd lifeline_;
  Timeline timeline_;
  EventStreamReader reader_;
};

// Starts a lab, pumps it to the end, returns its timeline.
Result<Timeline> RunLab(const LabConfig& config);

}  // namespace proclab
