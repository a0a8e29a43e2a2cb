#include "runner/os/pty.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "runner/os/sys_error.h"

namespace proclab::os {

Result<Pty> OpenPty() {
  Pty pty;
  pty.master.Reset(posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.master) return SysError("posix_openpt");
  if (grantpt(pty.master.get()) != 0) return SysError("grantpt");
  if (unlockpt(pty.master.get()) != 0) return SysError("unlockpt");
  char name[128];
  if (ptsname_r(pty.master.get(), name, sizeof name) != 0) return SysError("ptsname_r");
  pty.slave.Reset(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.slave) return SysError(std::string("open(") + name + ")");
  winsize ws{};
  ws.ws_row = 24;
  ws.ws_col = 80;
  ioctl(pty.slave.get(), TIOCSWINSZ, &ws);
  return pty;
}

Status TakeAsControllingTerminal(int slave_fd) {
  if (ioctl(slave_fd, TIOCSCTTY, 0) != 0) return SysError("ioctl(TIOCSCTTY)");
  return {};
}

}  // namespace proclab::os
