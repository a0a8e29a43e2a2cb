#include "runner/scenario/file_path.h"

#include <fmt/format.h>

namespace proclab {

std::vector<std::string> FilePathParts(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    parts.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool HasWildcard(const std::string& part) { return part.find_first_of("*?[") != std::string::npos; }

Result<std::string> NormalizeFilePath(const std::string& written) {
  if (written.empty()) return Error("the path is empty");
  if (written[0] == '/')
    return Error(
        fmt::format("'{}' is absolute; a files: path is relative to the run's folder (its cwd). "
                    "For what a run leaves in /tmp, write '- files: {{outside: none}}'",
                    written));
  std::string out;
  for (const std::string& part : FilePathParts(written)) {
    if (part.empty() || part == ".") continue;
    if (part == "..")
      return Error(
          fmt::format("'{}' leaves the run's folder ('..'); files: look only inside it", written));
    if (part.find("**") != std::string::npos)
      return Error(
          fmt::format("'{}': '**' (any depth) is not supported; write one pattern per "
                      "level, such as logs/*/*.log",
                      written));
    out += (out.empty() ? "" : "/") + part;
  }
  if (out.empty())
    return Error(fmt::format("'{}' names the run's folder itself; name a file in it", written));
  return out;
}

}  // namespace proclab
