// The lab process's state: what it started, what it traces, what it feeds
// the program and what it reports. Private to runner/lab/; the entry point is
// RunLabProcess (lab_process.h).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "runner/lab/event_stream.h"
#include "runner/lab/file_watch.h"
#include "runner/lab/lab_config.h"
#include "runner/lab/likely_stops.h"
#include "runner/lab/output_capture.h"
#include "runner/lab/spin_window.h"
#include "runner/lab/step_driver.h"
#include "runner/lab/supervisor.h"
#include "runner/os/core_files.h"
#include "runner/os/lab_isolation.h"
#include "runner/os/scratch_dir.h"
#include "runner/os/signal_fd.h"
#include "runner/os/spawn.h"
#include "runner/os/tracee_ops.h"
#include "runner/os/tracer.h"
#include "runner/timeline/timeline.h"

namespace proclab {

class Lab : public LabControl, public HypercallHandler {
 public:
  Lab(const LabConfig& config, const os::LabPlace& place, int events_fd, int lifeline_fd);
  int Run();

  // LabControl (lab_control.cc)
  [[nodiscard]] int64_t Now() const override;
  [[nodiscard]] const Timeline& timeline() const override { return local_; }
  [[nodiscard]] std::vector<PartialLine> PartialLines() const override;
  void EndPartialLine(pid_t pid, Stream stream) override;
  void SendSignal(pid_t pid, int sig) override;
  bool WriteInput(std::string_view bytes) override;
  bool CloseInput() override;
  [[nodiscard]] bool HasTty() const override { return config_.tty; }
  Activity ReadActivity() override;
  void TakeCheckpoint(const std::string& name) override;
  void RecordStep(const StepResult& result) override;
  void Abort(const std::string& reason) override;

  // HypercallHandler (lab_control.cc)
  long Resolve(const std::string& name) override;
  void Checkpoint(pid_t tid, const std::string& name) override;
  long Measure(pid_t pid, const std::string& text) override;

 private:
  // lab_control.cc
  bool AllWaitEndlessly();

  struct PendingCheckpoint {
    pid_t tid = 0;  // the actor waiting in its hypercall
    std::string name;
  };

  // lab_process.cc
  void Emit(Event e);
  // Puts an event on the timeline and in the stream to the runner.
  void Publish(Event e);
  // Publishes what Emit held while a stop was being handled.
  void ReleaseHeld();
  Status Setup();
  std::string PrepareCgroup();
  // lab_cpus.cc
  Status PinCpus(LabInfo* info);
  void ReadCpus(Event& e);
  // A `sample` event: every live process's CPU so far (LabConfig::sample_every_us).
  void Sample();
  void PrepareCores();
  void RemoveCores();
  Status SetupInput(os::SpawnSpec* spec, os::UniqueFd* child_stdin);
  Status WatchFiles(uid_t uid, gid_t gid);
  void RecordFiles();
  int Fail(const std::string& message);
  void Finish();

  // lab_loop.cc
  void Loop();
  bool DrainTracer();
  os::TraceStop NextStop();
  os::TraceStop WalkAll();  // Tracer::Next, timed
  os::TraceStop AwaitNextStop();
  void DrainPipe(os::UniqueFd& fd, Stream stream);
  void DrainTty();
  void FlushInput();
  void CheckLaunch();
  void TakePendingCheckpoints();
  void RecordCheckpoint(const std::string& name);
  [[nodiscard]] int64_t NextDeadline() const;
  void Deadlines();
  void StartKilling(const std::string& reason);
  bool DriverDue();

  const LabConfig& config_;
  os::LabPlace place_;
  EventStreamWriter out_;
  int lifeline_;
  int64_t start_us_;
  pid_t lab_pid_ = 0;
  Timeline local_;  // what steps and hypercalls see; the runner gets the stream

  os::Tracer tracer_;
  LikelyStops likely_;
  SpinWindow spin_;
  int64_t walk_us_ = 0;     // how long the last look at every tracee took
  int64_t walked_at_ = -1;  // when it ended
  os::KernelTraceeOps tracee_ops_;
  std::optional<os::SigchldPoller> poller_;
  os::UniqueFd stdout_r_, stderr_r_;
  // The lab keeps the write ends too: kcmp compares a program's fd with them
  // (see Supervisor::ClassifyWrite). So the read ends never see EOF; the lab
  // ends when its last process does.
  os::UniqueFd stdout_w_, stderr_w_;
  os::UniqueFd tty_master_, tty_slave_;
  os::UniqueFd input_;         // the program's stdin pipe (or a dup of the pty master)
  std::string input_pending_;  // bytes not yet accepted by the pipe
  bool close_input_when_flushed_ = false;
  os::ScratchDir scratch_;
  std::optional<os::Cgroup> cgroup_;  // the job slot's group, when there is one
  int64_t oom_kills_seen_ = 0;        // the group's OOM kills already accounted for
  int64_t cgroup_cpu_start_us_ = -1;  // the group's CPU counter when the run began
  uid_t program_uid_ = 0;             // who the programs run as
  int64_t start_wall_ = 0;            // the run's start, in seconds of the wall clock
  os::CoreNames core_names_;          // where a dump lands, when the scenario expects one
  std::string no_core_;               // why this run may dump no core after all ("": it may)
  std::optional<os::ProgramChild> child_;
  std::optional<os::SpawnSpec> spec_;
  std::optional<OutputCapture> output_;
  std::optional<Supervisor> sup_;
  std::vector<PendingCheckpoint> checkpoints_;
  std::optional<FileWatch> files_;  // what `files:` expectations ask about

  int64_t last_flush_us_ = 0;
  int64_t next_sample_us_ = -1;  // when Sample runs next; -1: not sampling
  int64_t main_exit_us_ = -1;
  int64_t linger_until_ = -1;         // when lingering ends (stretched by timed sleeps)
  int64_t last_timed_sleep_us_ = -1;  // when a process was last seen in one
  int64_t kill_started_us_ = -1;
  // While a stop is handled, events wait here, in order, until the tracee has
  // been restarted: encoding them is not worth keeping it stopped for.
  bool hold_events_ = false;
  std::vector<Event> held_;
  int64_t events_emitted_ = 0;
  int64_t event_bytes_ = 0;  // their Footprint, against max_event_bytes
  int64_t events_dropped_ = 0;
  bool events_capped_ = false;  // the "events" limit was reached: ending the run
  // "its cap of 250000 events" or "its cap of 48MiB of events (150000 events)"
  [[nodiscard]] std::string EventCapText() const;
  int64_t driver_wakeup_us_ = -1;  // when the step driver wants to run again (-1: on events)
  bool driver_called_ = false;
  size_t driver_events_ = 0;    // the timeline's size at the driver's last call
  uint64_t driver_writes_ = 0;  // output writes at the driver's last call
  bool gave_up_ = false;
  std::string lab_error_;
};

}  // namespace proclab
