// The body of the lab process: start the program traced, supervise it until
// every process is gone, stream the timeline to the runner.
#pragma once

#include "runner/lab/lab_config.h"
#include "runner/os/lab_isolation.h"

namespace proclab {

// Returns the lab's exit status: 0 when the run completed (whatever the
// program did), 3 when the lab itself failed. `events_fd` is where the JSON
// lines go; EOF on `lifeline_fd` means the runner wants the run stopped.
int RunLabProcess(const LabConfig& config, const os::LabPlace& place, int events_fd,
                  int lifeline_fd);

}  // namespace proclab
