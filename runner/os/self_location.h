// Where the running proclab is, and the data installed beside it. The layout
// is the one `cmake --install` and the .deb make, in any prefix:
// PREFIX/bin/proclab and PREFIX/share/proclab/… (docs/design.md §5). A copy
// unpacked anywhere (dpkg -x, a relocated prefix) therefore finds its own
// data, never a source tree's.
#pragma once

#include <string>
#include <string_view>

namespace proclab::os {

// PREFIX/share/NAME for the executable at `exe` (PREFIX/bin/...), when that
// folder exists; "" otherwise.
std::string DataDirBeside(const std::string& exe, std::string_view name);

// DataDirBeside for the running executable (/proc/self/exe: the kernel has
// resolved any symbolic link, so a /usr/local/bin/proclab linking to
// /opt/proclab/bin/proclab finds /opt/proclab/share).
std::string InstalledDataDir(std::string_view name);

// True when the running executable lives directly in the folder `dir`
// (compared as files, so another spelling of the same folder counts).
bool RunningFrom(const std::string& dir);

}  // namespace proclab::os
