// A pseudo-terminal for programs that need one (`tty: true`). The lab keeps
// the master: keys written there become signals from the line discipline.
#pragma once

#include "runner/base/error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {

struct Pty {
  UniqueFd master;  // the lab's end: keys and input in, echo and output out
  UniqueFd slave;   // the program's stdin, stdout and stderr
};

// An 80x24 terminal with the default line discipline (canonical, echo, ISIG).
Result<Pty> OpenPty();
// Makes the pty the controlling terminal of the caller's session (the caller
// must be its session leader, without a terminal yet).
Status TakeAsControllingTerminal(int slave_fd);

}  // namespace proclab::os
