#include "runner/grade/grade_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "runner/base/fnv_hash.h"

namespace proclab {
namespace fs = std::filesystem;

namespace {

Status AddFile(Fnv1a& h, const fs::path& file) {
  std::ifstream f(file, std::ios::binary);
  if (!f) return Error(fmt::format("cannot read {}", file.string()));
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return Error(fmt::format("cannot read {}", file.string()));
  h.Field(bytes);
  return {};
}

// One entry: its kind and executable bit, then its bytes.
Status AddEntry(Fnv1a& h, const fs::path& p, const std::string& relative) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(p, ec);
  if (ec) return Error(fmt::format("cannot read {}: {}", p.string(), ec.message()));
  h.Field(relative);
  const bool exec = (st.permissions() & fs::perms::owner_exec) != fs::perms::none;
  if (fs::is_symlink(st)) {
    h.Field("link").Field(fs::read_symlink(p, ec).string());
  } else if (fs::is_directory(st)) {
    h.Field("folder");
  } else if (fs::is_regular_file(st)) {
    h.Field(exec ? "exec" : "file");
    return AddFile(h, p);
  } else {
    h.Field("other");
  }
  return {};
}

}  // namespace

Result<std::string> FingerprintTree(const std::string& path, const std::vector<std::string>& skip) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(path, ec);
  if (ec || !fs::exists(fs::symlink_status(root, ec)))
    return Error(fmt::format("{}: no such file or folder", path));
  Fnv1a h;
  if (!fs::is_directory(root)) {
    if (Status st = AddEntry(h, root, root.filename().string()); !st) return st.error();
    return h.Hex();
  }
  std::vector<std::string> relative;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (std::find(skip.begin(), skip.end(), it->path().string()) != skip.end()) {
      if (it->is_directory() && !it->is_symlink()) it.disable_recursion_pending();
      continue;
    }
    relative.push_back(it->path().lexically_relative(root).string());
  }
  if (ec) return Error(fmt::format("cannot list {}: {}", path, ec.message()));
  std::sort(relative.begin(), relative.end());
  for (const auto& r : relative)
    if (Status st = AddEntry(h, root / r, r); !st) return st.error();
  return h.Hex();
}

GradeKeys::GradeKeys(std::string suite, std::string grade_yaml, int repeat, std::string isolation)
    : suite_(std::move(suite)),
      grade_yaml_(std::move(grade_yaml)),
      isolation_(std::move(isolation)),
      repeat_(repeat) {}

std::string GradeKeys::Build(const std::string& submission, const std::string& files) const {
  return Fnv1a()
      .Field("build")
      .Field(grade_yaml_)
      .Field(isolation_)
      .Field(submission)
      .Field(files)
      .Hex();
}

std::string GradeKeys::Pair(const std::string& submission, const std::string& files,
                            const std::string& scenario, const std::string& scenario_file) const {
  return Fnv1a()
      .Field("pair")
      .Field(suite_)
      .Field(grade_yaml_)
      .Field(static_cast<uint64_t>(repeat_))
      .Field(isolation_)
      .Field(submission)
      .Field(files)
      .Field(scenario)
      .Field(scenario_file)
      .Hex();
}

}  // namespace proclab
