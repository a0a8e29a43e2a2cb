// Steps run inside the lab, next to the tracer, so a stimulus lands at the
// moment it is due and an expected line is seen the moment it is written. The
// lab knows nothing of scenarios: it offers LabControl and calls a StepDriver.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runner/timeline/timeline.h"

namespace proclab {

// Text a process wrote without a newline yet: a prompt, typically.
struct PartialLine {
  pid_t pid = 0;
  Stream stream = Stream::kStdout;
  std::string text;
};

// Whether the program is at rest, for pacing stimuli as a person would.
struct Activity {
  std::vector<pid_t> busy;      // processes with a task running (or held by the lab)
  int64_t last_output_us = -1;  // the last write to stdout or stderr (-1: none)
  // At rest for good: no process busy, and every task stopped or in a wait
  // only a signal or another task ends (os::WaitsEndlessly). Without
  // stimuli from outside, nothing more will happen.
  bool stuck = false;
};

// What steps may do to a running lab.
class LabControl {
 public:
  virtual ~LabControl() = default;
  [[nodiscard]] virtual int64_t Now() const = 0;
  // Everything recorded so far.
  [[nodiscard]] virtual const Timeline& timeline() const = 0;
  // Lines written so far without their newline (not yet in the timeline).
  [[nodiscard]] virtual std::vector<PartialLine> PartialLines() const = 0;
  // Records that partial line as an output event now, as if it had ended:
  // an expected prompt is a line of its own, as pexpect sees it.
  virtual void EndPartialLine(pid_t pid, Stream stream) = 0;
  // kill(pid, sig) from the lab, recorded as a signal_sent from "lab".
  virtual void SendSignal(pid_t pid, int sig) = 0;
  // Bytes for the program's stdin (the pty in tty mode). False: no input.
  virtual bool WriteInput(std::string_view bytes) = 0;
  virtual bool CloseInput() = 0;
  [[nodiscard]] virtual bool HasTty() const = 0;
  // Read from /proc now: which processes are busy, and when output last came.
  virtual Activity ReadActivity() = 0;
  virtual void TakeCheckpoint(const std::string& name) = 0;
  virtual void RecordStep(const StepResult& result) = 0;
  // A step failed: the run cannot go on as written. Kills every process.
  virtual void Abort(const std::string& reason) = 0;
};

class StepDriver {
 public:
  virtual ~StepDriver() = default;
  // Runs the steps that can run now. Returns the lab time at which it wants
  // to be called again, or -1 to be called on the next events only.
  virtual int64_t Advance(LabControl& lab) = 0;
  // The run ended (every process is gone): settle the steps still pending.
  virtual void Finish(LabControl& lab) = 0;
};

}  // namespace proclab
