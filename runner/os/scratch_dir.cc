#include "runner/os/scratch_dir.h"

#include <fmt/format.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner/os/sys_error.h"

namespace proclab::os {
namespace {

int RemoveEntry(const char* path, const struct stat*, int, FTW*) {
  ::remove(path);  // unlink or rmdir; a symlink itself, never its target
  return 0;
}

}  // namespace

Result<ScratchDir> ScratchDir::Create(uid_t owner, gid_t group) {
  // Always /tmp: the caller's TMPDIR may be private to a user the program is not.
  std::string templ = "/tmp/proclab-XXXXXX";
  if (!mkdtemp(templ.data())) return SysError(fmt::format("mkdtemp({})", templ));
  ScratchDir dir;
  dir.path_ = templ;
  if (chown(templ.c_str(), owner, group) != 0 && geteuid() == 0)
    return SysError(fmt::format("chown({}, {})", templ, owner));
  return dir;
}

ScratchDir ScratchDir::Adopt(const std::string& path) {
  ScratchDir dir;
  struct stat st {};
  if (path.rfind("/tmp/proclab-", 0) == 0 && path.find('/', 5) == std::string::npos &&
      lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    dir.path_ = path;
  return dir;
}

ScratchDir& ScratchDir::operator=(ScratchDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

void ScratchDir::Remove() {
  if (path_.empty()) return;
  nftw(path_.c_str(), RemoveEntry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  path_.clear();
}

}  // namespace proclab::os
