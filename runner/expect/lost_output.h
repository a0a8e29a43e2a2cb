// Output lost in a stdio buffer. With stdout on a pipe, C's stdio and
// Python buffer it in blocks, not lines; a process that ends without a
// flush (_exit, os._exit, a signal, the lab's kill) takes the buffer with
// it. The lab sees writes, never buffers, so it cannot tell "never printed"
// from "printed into a buffer that was lost". A second run with stdout on a
// terminal (line-buffered) can: what appears there and not through the pipe
// was in the buffer.
//
// Here: which failed output checks of a run a lost buffer could explain
// (the trigger for that second run), and the note comparing both runs. The
// runs themselves are runner/run's.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "runner/expect/verdict.h"
#include "runner/scenario/scenario.h"
#include "runner/timeline/timeline.h"

namespace proclab {

// A failed output check whose writer may have lost its buffer.
struct LostOutputSuspect {
  enum class Kind { kVerdict, kStep };
  Kind kind = Kind::kVerdict;
  size_t index = 0;  // into the run's verdicts, or the step's index in the scenario
  std::string pattern;
  std::string by;  // "" anyone
};

// The checks a lost buffer could explain, in a run of `s` judged as
// `verdicts`: only for a program with stdout on a pipe (not `tty`); only an
// `output` expectation that found too few lines, or an `expect_output` /
// `wait_for: {output}` step that failed, not limited to stderr (unbuffered);
// and only when a process that could have written it (`by`, else any) ended
// without a final write: killed by a signal (the lab's kill included), or
// exited with its last act something other than a write to stdout (a normal
// exit flushes; _exit does not). Empty: no second run is worth making.
std::vector<LostOutputSuspect> FindLostOutputSuspects(const Scenario& s, const Timeline& pipe,
                                                      const std::vector<Verdict>& verdicts);

// "on a terminal conductor (pid 3) printed '到站了'; through a pipe it never
// wrote it: its stdio buffer was lost when it was killed by SIGINT from the
// lab at 0.512s …". Empty when the terminal run (`tty`) printed no matching
// stdout line the pipe run lacks: then nothing shows the buffer was at fault.
std::string LostOutputNote(const Scenario& s, const LostOutputSuspect& suspect,
                           const Timeline& pipe, const Timeline& tty);

}  // namespace proclab
