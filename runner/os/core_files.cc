#include "runner/os/core_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <regex>

#include "runner/os/sys_error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {

std::string ReadLine(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The names in `dir` that `names` matches; the folder's descriptor in `fd`.
Result<std::vector<std::string>> Matching(const std::string& dir, const CoreNames& names,
                                          UniqueFd* fd) {
  fd->Reset(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  const int list = *fd ? fcntl(fd->get(), F_DUPFD_CLOEXEC, 0) : -1;
  DIR* d = list >= 0 ? fdopendir(list) : nullptr;
  if (!d) {
    const Error error = SysError(fmt::format("opendir({})", dir));
    if (list >= 0) close(list);
    return error;
  }
  const std::regex re(names.regex);
  std::vector<std::string> out;
  while (const dirent* e = readdir(d))
    if (std::regex_match(e->d_name, re)) out.emplace_back(e->d_name);
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

// The PID a name ends in (".PID"), when it is one of `pids`.
pid_t PidOf(const std::string& name, const std::vector<pid_t>& pids) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 == name.size() || name.size() - dot > 8 ||
      name.find_first_not_of("0123456789", dot + 1) != std::string::npos)
    return 0;
  const pid_t pid = std::stoi(name.substr(dot + 1));
  return std::find(pids.begin(), pids.end(), pid) != pids.end() ? pid : 0;
}

}  // namespace

CoreNames CoreNamesFor(std::string core_pattern, bool uses_pid) {
  CoreNames names;
  while (!core_pattern.empty() && core_pattern.back() == '\n') core_pattern.pop_back();
  names.pattern = core_pattern;
  if (core_pattern.empty() || core_pattern[0] == '|' || core_pattern[0] == '/') return names;
  std::string re;
  bool pid_in_pattern = false;
  for (size_t i = 0; i < core_pattern.size(); ++i) {
    const char c = core_pattern[i];
    if (c == '/') {
      names.place = CoreNames::Place::kSubFolder;
      return names;
    }
    if (c != '%') {
      if (std::strchr("\\^$.|?*+()[]{}", c)) re += '\\';
      re += c;
      continue;
    }
    if (++i == core_pattern.size()) break;  // a last lone '%' expands to nothing
    const char spec = core_pattern[i];
    pid_in_pattern |= spec == 'p';
    if (spec == '%')
      re += '%';
    else if (std::strchr("pPiIugdstc", spec))
      re += "[0-9]+";
    else
      re += ".*";  // %e, %E, %h, %f (a '/' in them becomes '!'), and anything newer
  }
  if (uses_pid && !pid_in_pattern) re += "\\.[0-9]+";
  names.place = CoreNames::Place::kFolder;
  names.regex = re;
  return names;
}

CoreNames HostCoreNames() {
  return CoreNamesFor(ReadLine("/proc/sys/kernel/core_pattern"),
                      ReadLine("/proc/sys/kernel/core_uses_pid") == "1");
}

Result<std::vector<std::string>> CoreNamesIn(const std::string& dir, const CoreNames& names) {
  if (names.place != CoreNames::Place::kFolder) return std::vector<std::string>{};
  UniqueFd fd;
  return Matching(dir, names, &fd);
}

std::vector<CoreFile> FindCores(const std::string& dir, const CoreNames& names,
                                const std::vector<pid_t>& pids, uid_t owner, int64_t since) {
  std::vector<CoreFile> out;
  if (names.place != CoreNames::Place::kFolder) return out;
  UniqueFd fd;
  auto found = Matching(dir, names, &fd);
  if (!found) return out;
  for (const auto& name : *found) {
    struct stat st {};
    if (fstatat(fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != owner || st.st_mtime < since)
      continue;
    if (unlinkat(fd.get(), name.c_str(), 0) == 0)
      out.push_back({dir + "/" + name, PidOf(name, pids), static_cast<int64_t>(st.st_size)});
  }
  return out;
}

}  // namespace proclab::os
