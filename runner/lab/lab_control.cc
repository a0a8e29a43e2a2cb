// What steps and actors may ask of the lab: signals, input, checkpoints.
#include <errno.h>
#include <fmt/format.h>
#include <signal.h>

#include "runner/base/signal_names.h"
#include "runner/lab/lab.h"
#include "runner/lab/measure_call.h"
#include "runner/os/proc_syscall.h"
#include "runner/os/process_ops.h"
#include "runner/os/procfs.h"
#include "runner/os/sys_error.h"

namespace proclab {

void Lab::SendSignal(pid_t pid, int sig) {
  Event e;
  e.type = EventType::kSignalSent;
  e.from = Party::Lab();
  e.to = pid;
  e.sig = sig;
  e.via = "lab";
  auto sent = sup_->Signal(pid, sig);
  if (!sent.ok())
    e.error = "EPERM";
  else if (!*sent)
    e.error = "ESRCH";
  Emit(std::move(e));
}

std::vector<PartialLine> Lab::PartialLines() const {
  std::vector<PartialLine> lines;
  for (const auto& [pid, streams] : output_->partial())
    for (Stream s : {Stream::kStdout, Stream::kStderr}) {
      const std::string& text = streams[s == Stream::kStdout ? 0 : 1];
      if (!text.empty()) lines.push_back({pid, s, text});
    }
  return lines;
}

void Lab::EndPartialLine(pid_t pid, Stream stream) { output_->FlushLine(pid, stream, Now()); }

bool Lab::WriteInput(std::string_view bytes) {
  if (!input_) return false;
  input_pending_.append(bytes);
  FlushInput();
  return true;
}

bool Lab::CloseInput() {
  if (!input_) return false;
  if (config_.tty) {
    // A terminal has no "close": Ctrl-D at the start of a line is its EOF.
    input_pending_.push_back('\x04');
  } else {
    close_input_when_flushed_ = true;
  }
  FlushInput();
  return true;
}

// Steps run right after the tracer was drained: the snapshot is taken now,
// before the next step acts.
Activity Lab::ReadActivity() {
  Activity a;
  if (sup_) a.busy = sup_->Busy();
  if (output_) a.last_output_us = output_->last_write_us();
  a.stuck = sup_ && a.busy.empty() && AllWaitEndlessly();
  return a;
}

// With nothing busy, a task held at a stop is a real group-stop ('t' kept by
// PTRACE_LISTEN): it waits for SIGCONT, like 'T'.
bool Lab::AllWaitEndlessly() {
  for (pid_t tid : sup_->Tids()) {
    auto st = os::ReadStat(tid);
    if (!st || st->state == 'Z' || st->state == 'X' || st->state == 'T' || st->state == 't')
      continue;
    auto call = os::ReadBlockedCall(tid);
    if (st->state != 'S' || !call || !os::WaitsEndlessly(*call)) return false;
  }
  return true;
}

void Lab::TakeCheckpoint(const std::string& name) { RecordCheckpoint(name); }

void Lab::RecordCheckpoint(const std::string& name) {
  Event e;
  e.type = EventType::kCheckpoint;
  e.name = name;
  e.processes = sup_->Snapshot();
  Emit(std::move(e));
}

void Lab::Checkpoint(pid_t tid, const std::string& name) { checkpoints_.push_back({tid, name}); }

// Recorded at the actor's stop in its hypercall: the value is in the
// timeline before anything the actor does next.
long Lab::Measure(pid_t pid, const std::string& text) {
  auto m = DecodeMeasure(text);
  if (!m) return -EINVAL;
  Event e;
  e.type = EventType::kValue;
  e.pid = pid;
  e.name = m->name;
  e.value = m->value;
  Emit(std::move(e));
  return 0;
}

// Taken after the tracer is drained, so no task is held in a stop we have not
// seen; actors that asked wait in their hypercall until it is recorded.
void Lab::TakePendingCheckpoints() {
  if (checkpoints_.empty()) return;
  for (const auto& cp : checkpoints_) {
    RecordCheckpoint(cp.name);
    sup_->FinishCheckpoint(cp.tid);
  }
  checkpoints_.clear();
}

void Lab::RecordStep(const StepResult& result) {
  out_.Step(result);
  local_.steps.push_back(result);
}

void Lab::Abort(const std::string& reason) { StartKilling(reason); }

long Lab::Resolve(const std::string& name) {
  ReleaseHeld();  // an actor named earlier in this stop's handling counts
  for (auto it = local_.events().rbegin(); it != local_.events().rend(); ++it)
    if (it->type == EventType::kActor && it->name == name) return it->pid;
  return -ESRCH;
}

}  // namespace proclab
