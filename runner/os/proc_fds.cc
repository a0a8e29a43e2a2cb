#include "runner/os/proc_fds.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "runner/os/unique_fd.h"

namespace proclab::os {

void ParseFdinfo(const std::string& text, OpenFd* fd) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("flags:")) {
      fd->access = static_cast<int>(std::strtol(line.c_str() + 6, nullptr, 8) & O_ACCMODE);
    } else if (line.starts_with("lock:")) {
      // "lock:\t1: FLOCK  ADVISORY  WRITE 3 fe:00:12 0 EOF"
      size_t colon = line.find(": ", 5);
      if (colon == std::string::npos) continue;
      size_t at = line.find_first_not_of(' ', colon + 2);
      if (at != std::string::npos) fd->locks.push_back(line.substr(at));
    }
  }
}

std::vector<OpenFd> ReadOpenFds(pid_t pid, size_t max) {
  std::vector<OpenFd> out;
  const std::string dir = fmt::format("/proc/{}/fd", pid);
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  std::vector<int> fds;
  while (dirent* ent = readdir(d)) {
    char* end = nullptr;
    long n = std::strtol(ent->d_name, &end, 10);
    if (end != ent->d_name && !*end) fds.push_back(static_cast<int>(n));
  }
  closedir(d);
  std::sort(fds.begin(), fds.end());
  if (fds.size() > max) fds.resize(max);
  for (int n : fds) {
    OpenFd fd;
    fd.fd = n;
    const std::string link = fmt::format("{}/{}", dir, n);
    char target[4096];
    ssize_t len = readlink(link.c_str(), target, sizeof target);
    if (len < 0) continue;  // closed meanwhile
    fd.target.assign(target, static_cast<size_t>(len));
    struct stat st {};
    if (stat(link.c_str(), &st) == 0) fd.id = FileId{st.st_dev, st.st_ino};
    UniqueFd info(open(fmt::format("/proc/{}/fdinfo/{}", pid, n).c_str(), O_RDONLY | O_CLOEXEC));
    if (info) {
      std::string text;
      char buf[4096];
      for (ssize_t r; (r = read(info.get(), buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<size_t>(r));
      ParseFdinfo(text, &fd);
    }
    out.push_back(std::move(fd));
  }
  return out;
}

}  // namespace proclab::os
