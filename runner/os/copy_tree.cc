#include "runner/os/copy_tree.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

namespace proclab::os {
namespace fs = std::filesystem;

Status CopyTree(const std::string& from, const std::string& to, int64_t uid, int64_t gid) {
  std::error_code ec;
  if (!fs::create_directory(to, ec) || ec)
    return Error(fmt::format("cannot make {}: {}", to, ec ? ec.message() : "it exists"));
  fs::permissions(to, fs::perms::owner_all, ec);
  auto own = [&](const fs::path& p) -> Status {
    if (uid >= 0 && lchown(p.c_str(), static_cast<uid_t>(uid), static_cast<gid_t>(gid)) != 0)
      return Error(fmt::format("cannot give {} to uid {}", p.string(), uid));
    return {};
  };
  if (Status st = own(to); !st) return st;
  if (fs::is_regular_file(fs::symlink_status(from, ec))) {
    const fs::path target = fs::path(to) / fs::path(from).filename();
    if (!fs::copy_file(from, target, ec))
      return Error(fmt::format("cannot copy {}: {}", from, ec.message()));
    return own(target);
  }
  for (auto it = fs::recursive_directory_iterator(from, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::file_status st = it->symlink_status();
    const fs::path target = fs::path(to) / fs::relative(it->path(), from);
    if (fs::is_directory(st)) {
      fs::create_directory(target, ec);
    } else if (fs::is_regular_file(st)) {
      fs::copy_file(it->path(), target, ec);
    } else {
      continue;  // links, fifos, sockets, devices: not part of a submission
    }
    if (ec) return Error(fmt::format("cannot copy {}: {}", it->path().string(), ec.message()));
    if (Status owned = own(target); !owned) return owned;
  }
  if (ec) return Error(fmt::format("cannot read {}: {}", from, ec.message()));
  return {};
}

}  // namespace proclab::os
