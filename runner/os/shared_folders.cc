#include "runner/os/shared_folders.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "runner/os/sys_error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {

// Calls `each(name, inode)` for every entry but . and ..; false when the
// folder could not be read or had more than `cap` entries.
bool ForEachEntry(int dirfd, size_t cap, const std::function<void(const char*, uint64_t)>& each) {
  const int fd = dup(dirfd);
  if (fd < 0) return false;
  DIR* dir = fdopendir(fd);
  if (!dir) {
    close(fd);
    return false;
  }
  rewinddir(dir);
  size_t n = 0;
  bool ok = true;
  while (const dirent* d = readdir(dir)) {
    if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) continue;
    if (++n > cap) {
      ok = false;
      break;
    }
    each(d->d_name, d->d_ino);
  }
  closedir(dir);
  return ok;
}

bool AllOf(const std::string& s, size_t from, const char* set) {
  return from < s.size() && s.find_first_not_of(set, from) == std::string::npos;
}

constexpr const char* kDigits = "0123456789";
constexpr const char* kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

constexpr int kMaxDepth = 256;  // one descriptor is held per level

// Removes `name` in `parent`. A folder kMaxDepth levels down is moved up
// into `root` (the tree's own top folder) instead, and `*moved` set: the
// caller goes over the tree again, so no depth is left behind.
Status RemoveAt(int parent, const std::string& name, dev_t dev, int depth, int root, bool* moved) {
  struct stat st {};
  if (fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? Status{} : SysError(fmt::format("stat({})", name));
  if (S_ISDIR(st.st_mode)) {
    if (st.st_dev != dev) return Error(fmt::format("{} is another file system", name));
    if (depth >= kMaxDepth) {
      if (root < 0) return Error("it is nested too deep");
      for (int i = 0; i < 1000; ++i) {
        const std::string up = fmt::format(".deep-{}", i);
        if (renameat2(parent, name.c_str(), root, up.c_str(), RENAME_NOREPLACE) == 0) {
          *moved = true;
          return {};
        }
        if (errno != EEXIST) break;
      }
      return SysError(fmt::format("rename({}) up", name));
    }
    UniqueFd fd(openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return SysError(fmt::format("open({})", name));
    std::vector<std::string> names;
    ForEachEntry(fd.get(), SIZE_MAX, [&](const char* n, uint64_t) { names.emplace_back(n); });
    Status first;
    for (const auto& n : names)
      if (Status st2 = RemoveAt(fd.get(), n, dev, depth + 1, root, moved); !st2 && first)
        first = st2;
    if (!first) return first;
    if (unlinkat(parent, name.c_str(), AT_REMOVEDIR) != 0)
      return SysError(fmt::format("rmdir({})", name));
    return {};
  }
  if (unlinkat(parent, name.c_str(), 0) != 0) return SysError(fmt::format("unlink({})", name));
  return {};
}

}  // namespace

std::vector<std::string> SharedWritableFolders() {
  std::vector<std::string> out;
  for (const char* dir : {"/tmp", "/var/tmp", "/dev/shm", "/run/lock"}) {
    struct stat st {};
    if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode)) out.emplace_back(dir);
  }
  return out;
}

bool IsProclabFolderName(const std::string& name) {
  // mkdtemp's "proclab-XXXXXX" (scratch_dir.cc)
  if (name.size() == 14 && name.starts_with("proclab-") && AllOf(name, 8, kAlnum)) return true;
  // "proclab-work-PID-N" (run/scenario_run.cc), "proclab-cc-UID" (run/c_programs.cc)
  if (name.starts_with("proclab-cc-")) return AllOf(name, 11, kDigits);
  if (!name.starts_with("proclab-work-")) return false;
  const size_t dash = name.find('-', 13);
  return dash != std::string::npos && AllOf(name.substr(0, dash), 13, kDigits) &&
         AllOf(name, dash + 1, kDigits);
}

SharedFolderWatch SharedFolderWatch::Start(std::vector<std::string> folders, size_t cap) {
  SharedFolderWatch w;
  w.cap_ = cap;
  for (auto& folder : folders) {
    UniqueFd fd(open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    auto& seen = w.before_[folder];
    const bool ok = fd && ForEachEntry(fd.get(), cap,
                                       [&](const char* n, uint64_t ino) { seen.emplace(n, ino); });
    if (!ok) {
      w.before_.erase(folder);
      w.note_ += fmt::format("{}{} {}", w.note_.empty() ? "" : "; ", folder,
                             fd ? fmt::format("has more than {} entries: not watched", cap)
                                : "could not be read: not watched");
      continue;
    }
    w.folders_.push_back(std::move(folder));
  }
  return w;
}

std::vector<LeftBehind> SharedFolderWatch::NewEntries(uid_t uid,
                                                      const std::vector<std::string>& ignore,
                                                      size_t max, int64_t* total) const {
  std::vector<LeftBehind> out;
  *total = 0;
  for (const auto& folder : folders_) {
    const auto& before = before_.at(folder);
    UniqueFd fd(open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) continue;
    std::vector<std::pair<std::string, uint64_t>> fresh;
    ForEachEntry(fd.get(), cap_, [&](const char* n, uint64_t ino) {
      if (!before.count({n, ino})) fresh.emplace_back(n, ino);
    });
    std::sort(fresh.begin(), fresh.end());
    for (const auto& [name, ino] : fresh) {
      const std::string path = folder + "/" + name;
      struct stat st {};
      if (fstatat(fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_uid != uid)
        continue;
      if (std::find(ignore.begin(), ignore.end(), path) != ignore.end()) continue;
      if (S_ISDIR(st.st_mode) && IsProclabFolderName(name)) continue;
      ++*total;
      if (out.size() >= max) continue;
      LeftBehind left{path, st.st_mode, st.st_size, 0};
      if (S_ISDIR(st.st_mode)) {
        UniqueFd sub(
            openat(fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (sub) ForEachEntry(sub.get(), cap_, [&](const char*, uint64_t) { ++left.entries; });
      }
      out.push_back(std::move(left));
    }
  }
  return out;
}

Status RemoveTree(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash + 1 == path.size())
    return Error(fmt::format("{} is not a path to remove", path));
  const std::string parent = slash == 0 ? "/" : path.substr(0, slash);
  UniqueFd fd(open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  struct stat st {};
  if (!fd || fstat(fd.get(), &st) != 0) return SysError(fmt::format("open({})", parent));
  const std::string name = path.substr(slash + 1);
  UniqueFd root(openat(fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  Status done;
  for (int pass = 0; pass < 1000; ++pass) {
    bool moved = false;
    done = RemoveAt(fd.get(), name, st.st_dev, 0, root.get(), &moved);
    if (!moved) break;
  }
  return done;
}

}  // namespace proclab::os
