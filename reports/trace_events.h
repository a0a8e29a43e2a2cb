// The timeline in the Trace Event Format (the JSON that chrome://tracing and
// ui.perfetto.dev open), for `--report perfetto:FILE` and `trace --perfetto
// FILE` (design.md §4.8). A run is a TEF process; each process of the run is
// a track (a TEF thread) of it, in birth order, whose slices are its
// lifetime: alive (named by its comm), stopped (nested), zombie (exit to
// reap). exec, exit, reap, output, adoption and the lab's kills are
// instants on their process's track; forks and signals are flow arrows
// from the parent or sender to the child or receiver. Senders that are not
// processes of the run (the lab, the kernel, the tty) get a track each.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "runner/timeline/timeline.h"

namespace proclab {

class TraceEventWriter {
 public:
  explicit TraceEventWriter(std::function<void(std::string_view)> write)
      : write_(std::move(write)) {}
  // {"displayTimeUnit": "ms", "traceEvents": [
  void Begin();
  // One run as TEF process `group` (≥ 1), labelled `label` and sorted by
  // `group`. Times are the run's own (µs since its lab started).
  void AddRun(const Timeline& t, int group, const std::string& label);
  // ], "otherData": {…}}
  void End();

 private:
  void Emit(const std::string& json_object);

  std::function<void(std::string_view)> write_;
  bool first_ = true;
  int64_t next_flow_ = 1;
};

}  // namespace proclab
