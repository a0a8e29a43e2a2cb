#include "runner/lab/actor_calls.h"

#include <unistd.h>

#include "runner/lab/measure_call.h"
#include "runner/os/hypercall.h"
#include "runner/os/procfs.h"
#include "runner/os/write_all.h"

namespace proclab::actor {

void NameNextChild(std::string_view name) { os::CallLab(os::Hypercall::kNameNextChild, name); }

void Checkpoint(std::string_view name) { os::CallLab(os::Hypercall::kCheckpoint, name); }

void Measure(std::string_view name, double value) {
  os::CallLab(os::Hypercall::kMeasure, EncodeMeasure({std::string(name), value}));
}

long Resolve(std::string_view name) { return os::CallLab(os::Hypercall::kResolve, name); }

bool WriteAll(int fd, std::string_view text) { return os::WriteAll(fd, text); }

bool Alive(pid_t pid) {
  auto st = os::ReadStat(pid);
  return st && st->state != 'Z' && st->state != 'X';
}

}  // namespace proclab::actor
