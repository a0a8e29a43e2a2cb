#include "runner/os/self_location.h"

#include <filesystem>

#include "runner/os/process_ops.h"

namespace proclab::os {
namespace fs = std::filesystem;

std::string DataDirBeside(const std::string& exe, std::string_view name) {
  if (exe.empty()) return {};
  const fs::path dir = fs::path(exe).parent_path().parent_path() / "share" / name;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return {};
  return fs::weakly_canonical(dir, ec).string();
}

std::string InstalledDataDir(std::string_view name) { return DataDirBeside(OwnExecutable(), name); }

bool RunningFrom(const std::string& dir) {
  const std::string exe = OwnExecutable();
  if (exe.empty() || dir.empty()) return false;
  std::error_code ec;
  return fs::equivalent(fs::path(exe).parent_path(), dir, ec);
}

}  // namespace proclab::os
