#include "runner/os/stat_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <string_view>

namespace proclab::os {

std::optional<ProcStat> StatFiles::Read(pid_t pid) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto it = fds_.find(pid);
    if (it == fds_.end()) {
      char path[32];
      *fmt::format_to_n(path, sizeof path - 1, "/proc/{}/stat", pid).out = '\0';
      UniqueFd fd(open(path, O_RDONLY | O_CLOEXEC));
      if (!fd) return std::nullopt;
      if (fds_.size() >= kKeep) fds_.erase(fds_.begin());
      it = fds_.emplace(pid, std::move(fd)).first;
    }
    // A seq_file read at offset 0 writes the record anew.
    char buf[1024];
    const ssize_t n = pread(it->second.get(), buf, sizeof buf - 1, 0);
    if (n > 0 && static_cast<size_t>(n) < sizeof buf - 1) {
      buf[n] = '\0';
      return ParseStat(std::string_view(buf, static_cast<size_t>(n)));
    }
    fds_.erase(it);  // gone (or a record too long to trust): open anew once
  }
  return std::nullopt;
}

}  // namespace proclab::os
