#include "runner/os/file_glob.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "runner/base/units.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {

std::vector<std::string> Split(const std::string& pattern) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t slash = pattern.find('/', start);
    parts.push_back(pattern.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool Wild(const std::string& part) { return part.find_first_of("*?[") != std::string::npos; }

// Every name in the folder but . and .., in order, stopping after `room`
// (room is decremented for each name read).
std::vector<std::string> Names(int dirfd, size_t* room, bool* capped) {
  std::vector<std::string> names;
  const int fd = dup(dirfd);
  if (fd < 0) return names;
  DIR* dir = fdopendir(fd);
  if (!dir) {
    close(fd);
    return names;
  }
  rewinddir(dir);  // the dup shares its offset with earlier reads
  while (const dirent* d = readdir(dir)) {
    if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) continue;
    if (*room == 0) {
      *capped = true;
      break;
    }
    --*room;
    names.emplace_back(d->d_name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::string ModeText(mode_t mode) { return fmt::format("{:04o}", mode & 07777); }

bool MayRead(const struct stat& st, uid_t uid, gid_t gid) {
  if (st.st_uid == uid) return st.st_mode & S_IRUSR;
  if (st.st_gid == gid) return st.st_mode & S_IRGRP;
  return st.st_mode & S_IROTH;
}

void ReadHead(int dirfd, const std::string& name, const struct stat& st, const GlobOptions& o,
              FoundEntry* out) {
  if (o.reader_uid && !MayRead(st, *o.reader_uid, o.reader_gid)) {
    out->unread =
        fmt::format("its mode {} does not let the program's user read it", ModeText(st.st_mode));
    return;
  }
  int64_t want = std::min<int64_t>(o.read_bytes, st.st_size);
  if (o.read_budget) {
    if (*o.read_budget <= 0 && st.st_size > 0) {
      out->unread = "proclab had read as much of the run's files as it reads in one run";
      return;
    }
    want = std::min(want, *o.read_budget);
  }
  // O_NONBLOCK: were it swapped for a FIFO since the stat, opening must not wait.
  UniqueFd fd(
      openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  struct stat now {};
  if (!fd || fstat(fd.get(), &now) != 0) {
    out->unread = fmt::format("it could not be opened ({})", strerror(errno));
    return;
  }
  if (!S_ISREG(now.st_mode) || now.st_ino != st.st_ino || now.st_dev != st.st_dev) {
    out->unread = "it changed while the lab looked at it";
    return;
  }
  std::string text(static_cast<size_t>(want), '\0');
  size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  text.resize(got);
  if (o.read_budget) *o.read_budget -= static_cast<int64_t>(got);
  out->head_cut = static_cast<int64_t>(got) < st.st_size;
  out->head = std::move(text);
}

struct Walker {
  const GlobOptions& o;
  GlobResult& out;
  std::vector<std::string> parts;
  size_t room;

  void Walk(int dirfd, size_t i, const std::string& prefix) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    std::vector<std::string> names;
    if (Wild(part)) {
      for (auto& name : Names(dirfd, &room, &out.capped))
        if (fnmatch(part.c_str(), name.c_str(), FNM_PERIOD) == 0) names.push_back(std::move(name));
    } else {
      names.push_back(part);
    }
    for (const std::string& name : names) {
      struct stat st {};
      if (fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      const std::string path = prefix.empty() ? name : prefix + "/" + name;
      if (last) {
        ++out.matched;
        if (out.entries.size() < o.max_entries) out.entries.push_back(Found(dirfd, name, path, st));
      } else if (S_ISDIR(st.st_mode)) {
        UniqueFd sub(openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (sub) Walk(sub.get(), i + 1, path);
      }
    }
  }

  FoundEntry Found(int dirfd, const std::string& name, const std::string& path,
                   const struct stat& st) const {
    FoundEntry e;
    e.path = path;
    e.mode = st.st_mode;
    e.size = st.st_size;
    e.dev = st.st_dev;
    e.ino = st.st_ino;
    e.mtime_ns = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
    e.ctime_ns = st.st_ctim.tv_sec * 1'000'000'000LL + st.st_ctim.tv_nsec;
    if (o.read_bytes > 0 && S_ISREG(st.st_mode)) ReadHead(dirfd, name, st, o, &e);
    return e;
  }

  // Nothing matched: how far the path's plain folders go, and what is there.
  void Listing(int dirfd) {
    UniqueFd held;
    int at = dirfd;
    for (size_t i = 0; i + 1 < parts.size() && !Wild(parts[i]); ++i) {
      struct stat st {};
      UniqueFd sub;
      if (fstatat(at, parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
        sub.Reset(openat(at, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub) {
        out.missing = parts[i];
        break;
      }
      out.folder += (out.folder.empty() ? "" : "/") + parts[i];
      held = std::move(sub);
      at = held.get();
    }
    size_t listing_room = o.max_scanned;  // a huge folder is listed in part
    bool listing_capped = false;
    std::vector<std::string> names = Names(at, &listing_room, &listing_capped);
    out.listing_total = static_cast<int64_t>(names.size());
    if (names.size() > o.max_listed) names.resize(o.max_listed);
    out.listing = std::move(names);
  }
};

}  // namespace

std::string KindOfMode(mode_t mode) {
  if (S_ISREG(mode)) return "file";
  if (S_ISDIR(mode)) return "folder";
  if (S_ISLNK(mode)) return "symlink";
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  return "device";
}

GlobResult GlobAt(int dirfd, const std::string& pattern, const GlobOptions& options) {
  GlobResult out;
  Walker w{options, out, Split(pattern), options.max_scanned};
  w.Walk(dirfd, 0, "");
  if (out.matched == 0) w.Listing(dirfd);
  return out;
}

}  // namespace proclab::os
