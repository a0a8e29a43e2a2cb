// A private copy of a folder for one run: plain files and folders only (links
// are not followed or copied), the top made 0700, everything owned by the
// account the run's programs use, so no other run can read it.
#pragma once

#include <sys/types.h>

#include <string>

#include "runner/base/error.h"

namespace proclab::os {

// Copies `from` (a folder, or one file) into the new folder `to`. With
// uid >= 0 (proclab is root), chowns the copy to uid:gid.
Status CopyTree(const std::string& from, const std::string& to, int64_t uid = -1, int64_t gid = -1);

}  // namespace proclab::os
