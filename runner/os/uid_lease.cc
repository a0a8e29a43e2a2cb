#include "runner/os/uid_lease.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "runner/os/sys_error.h"

namespace proclab::os {
namespace {

// Makes `path` (and its parent) when missing, then opens it without following
// a symlink, and refuses a folder another account could plant a lock file in.
Result<UniqueFd> OpenLeaseDir(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  for (const std::string& d : {parent, path})
    if (mkdir(d.c_str(), 0700) != 0 && errno != EEXIST) return SysError("mkdir(" + d + ")");
  UniqueFd dir(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) return SysError("open(" + path + ")");
  struct stat st {};
  if (fstat(dir.get(), &st) != 0) return SysError("fstat(" + path + ")");
  if (st.st_uid != geteuid() || (st.st_mode & 022) != 0)
    return Error(
        fmt::format("{} is owned by uid {} with mode {:o}; it must be ours and "
                    "writable by nobody else",
                    path, st.st_uid, st.st_mode & 07777));
  return dir;
}

}  // namespace

std::string DefaultUidLeaseDir() {
  if (access("/run", W_OK) == 0) return "/run/proclab/uids";
  return (std::filesystem::temp_directory_path() / "proclab-uids" / "uids").string();
}

Result<UidLease> UidLease::Take(const std::string& dir, uid_t first, uid_t size, int blocks) {
  auto folder = OpenLeaseDir(dir);
  if (!folder) return folder.error();
  for (int k = 0; k < blocks; ++k) {
    const std::string name = fmt::format("block-{}", k);
    UniqueFd lock(
        openat(folder->get(), name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!lock) return SysError(fmt::format("open({}/{})", dir, name));
    int rc = 0;
    while ((rc = flock(lock.get(), LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {
    }
    if (rc == 0) return UidLease(std::move(lock), first + static_cast<uid_t>(k) * size, k);
    if (errno != EWOULDBLOCK) return SysError(fmt::format("flock({}/{})", dir, name));
  }
  return Error(
      fmt::format("all {} blocks of accounts in {} are held by other gradings", blocks, dir));
}

}  // namespace proclab::os
