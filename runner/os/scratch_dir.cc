#include "runner/os/scratch_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <utility>

#include "runner/base/clock.h"
#include "runner/os/shared_folders.h"
#include "runner/os/sys_error.h"
#include "runner/os/write_all.h"

namespace proclab::os {
namespace {

constexpr const char* kMarker = "made-by-proclab";
constexpr const char* kMarkerText =
    "proclab's scratch folder for one run (home is the program's HOME). It goes when the run "
    "ends, or at the next start of proclab once no lab holds a lock on this folder.\n";

// mkdtemp's "proclab-XXXXXX".
bool IsScratchName(const std::string& name) {
  return name.size() == 14 && name.starts_with("proclab-") &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                                8) == std::string::npos;
}

enum class Owner { kNotOurs, kLive, kNone };

// Whether `name` in `parent` is a folder Create made, with our uid, on
// `dev`, and whether someone holds its lock. On kNone, `held` holds the
// lock: no other proclab removes it at the same time, and no lab uses it.
Owner Abandoned(int parent, const std::string& name, dev_t dev, UniqueFd* held) {
  if (!IsScratchName(name)) return Owner::kNotOurs;
  struct stat st {};
  if (fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode) ||
      st.st_uid != geteuid() || st.st_dev != dev)
    return Owner::kNotOurs;
  UniqueFd fd(openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  struct stat opened {};
  if (!fd || fstat(fd.get(), &opened) != 0 || opened.st_ino != st.st_ino ||
      opened.st_dev != st.st_dev)
    return Owner::kNotOurs;
  if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) return Owner::kLive;
  // Checked under the lock: Create marks a folder only once it holds it.
  struct stat marker {};
  if (fstatat(fd.get(), kMarker, &marker, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(marker.st_mode) ||
      marker.st_uid != geteuid() || marker.st_nlink != 1)
    return Owner::kNotOurs;
  *held = std::move(fd);
  return Owner::kNone;
}

}  // namespace

Result<ScratchDir> ScratchDir::Create(uid_t owner, gid_t group, const std::string& parent) {
  // /tmp, never the caller's TMPDIR: it may be private to a user the program is not.
  std::string templ = parent + "/proclab-XXXXXX";
  if (!mkdtemp(templ.data())) return SysError(fmt::format("mkdtemp({})", templ));
  ScratchDir dir;  // from here on, a failure removes what was made
  dir.top_ = templ;
  dir.path_ = templ + "/home";
  dir.lock_.Reset(open(templ.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir.lock_) return SysError(fmt::format("open({})", templ));
  const int fd = dir.lock_.get();
  // Locked before it is marked, so that a marked folder nobody holds is abandoned.
  if (flock(fd, LOCK_EX) != 0) return SysError(fmt::format("flock({})", templ));
  UniqueFd marker(openat(fd, kMarker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444));
  if (!marker || !WriteAll(marker.get(), kMarkerText))
    return SysError(fmt::format("write({}/{})", templ, kMarker));
  if (mkdirat(fd, "home", 0700) != 0) return SysError(fmt::format("mkdir({})", dir.path_));
  if (fchownat(fd, "home", owner, group, AT_SYMLINK_NOFOLLOW) != 0 && geteuid() == 0)
    return SysError(fmt::format("chown({}, {})", dir.path_, owner));
  if (fchmod(fd, 0711) != 0) return SysError(fmt::format("chmod({})", templ));
  return dir;
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept
    : top_(std::exchange(other.top_, {})),
      path_(std::exchange(other.path_, {})),
      lock_(std::move(other.lock_)) {}

ScratchDir& ScratchDir::operator=(ScratchDir&& other) noexcept {
  if (this != &other) {
    Remove();
    top_ = std::exchange(other.top_, {});
    path_ = std::exchange(other.path_, {});
    lock_ = std::move(other.lock_);
  }
  return *this;
}

void ScratchDir::Remove() {
  if (top_.empty()) return;
  (void)RemoveTree(top_);  // still locked: no other proclab takes it for abandoned meanwhile
  lock_.Reset();
  top_.clear();
  path_.clear();
}

bool RemoveAbandonedScratchDir(const std::string& top, int64_t wait_us) {
  const size_t slash = top.rfind('/');
  if (slash == std::string::npos || slash == 0) return false;
  const std::string parent = top.substr(0, slash);
  UniqueFd fd(open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  struct stat st {};
  if (!fd || fstat(fd.get(), &st) != 0) return false;
  const int64_t deadline = MonotonicUs() + wait_us;
  for (;;) {
    UniqueFd held;
    switch (Abandoned(fd.get(), top.substr(slash + 1), st.st_dev, &held)) {
      case Owner::kNone: return RemoveTree(top).ok();
      case Owner::kNotOurs: return false;
      case Owner::kLive: break;
    }
    if (MonotonicUs() >= deadline) return false;
    const timespec pause{0, 5'000'000};
    nanosleep(&pause, nullptr);
  }
}

std::vector<std::string> RemoveAbandonedScratchDirs(const std::string& parent) {
  std::vector<std::string> removed;
  UniqueFd fd(open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  struct stat st {};
  if (!fd || fstat(fd.get(), &st) != 0) return removed;
  std::vector<std::string> names;
  const int list = fcntl(fd.get(), F_DUPFD_CLOEXEC, 0);
  if (DIR* d = list >= 0 ? fdopendir(list) : nullptr) {
    while (const dirent* e = readdir(d))
      if (IsScratchName(e->d_name)) names.emplace_back(e->d_name);
    closedir(d);
  } else if (list >= 0) {
    close(list);
  }
  for (const auto& name : names) {
    UniqueFd held;
    if (Abandoned(fd.get(), name, st.st_dev, &held) != Owner::kNone) continue;
    const std::string path = parent + "/" + name;
    if (RemoveTree(path)) removed.push_back(path);
  }
  return removed;
}

}  // namespace proclab::os
