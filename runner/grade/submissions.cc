#include "runner/grade/submissions.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

namespace proclab {
namespace fs = std::filesystem;

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "alice" for alice.zip, alice.tar.gz and alice.tgz; empty when not an archive.
std::string ArchiveStem(const std::string& file) {
  for (const char* ext : {".tar.gz", ".tgz", ".zip"})
    if (EndsWith(file, ext)) return file.substr(0, file.size() - std::string(ext).size());
  return {};
}

bool SafePath(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  for (const auto& part : fs::path(path))
    if (part == "..") return false;
  return true;
}

}  // namespace

Result<std::vector<Submission>> FindSubmissions(const std::vector<std::string>& folders) {
  std::vector<Submission> out;
  std::map<std::string, std::string> seen;
  for (const auto& folder : folders) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
      return Error(fmt::format("{}: not a folder of submissions", folder));
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      const std::string file = entry.path().filename().string();
      if (file.empty() || file[0] == '.') continue;
      Submission s;
      s.source = fs::absolute(entry.path()).lexically_normal().string();
      const std::string stem = ArchiveStem(file);
      if (entry.is_directory(ec)) {
        s.name = file;
      } else if (!stem.empty()) {
        s.name = stem;
        s.archive = true;
      } else if (entry.is_regular_file(ec)) {
        s.name = entry.path().stem().string();  // alice.py is alice's
        s.single_file = true;
      } else {
        continue;
      }
      if (auto [it, fresh] = seen.emplace(s.name, s.source); !fresh)
        return Error(fmt::format("two submissions are called '{}': {} and {}", s.name, it->second,
                                 s.source));
      out.push_back(std::move(s));
    }
    if (ec) return Error(fmt::format("{}: {}", folder, ec.message()));
  }
  std::sort(out.begin(), out.end(),
            [](const Submission& a, const Submission& b) { return a.name < b.name; });
  return out;
}

Status Unpack(const std::string& archive_path, const std::string& into, int64_t max_bytes) {
  std::unique_ptr<archive, decltype(&archive_read_free)> in(archive_read_new(), archive_read_free);
  archive_read_support_filter_gzip(in.get());
  archive_read_support_format_tar(in.get());
  archive_read_support_format_zip(in.get());
  if (archive_read_open_filename(in.get(), archive_path.c_str(), 64 * 1024) != ARCHIVE_OK)
    return Error(fmt::format("cannot open the archive: {}", archive_error_string(in.get())));
  int64_t total = 0;
  archive_entry* e = nullptr;
  for (;;) {
    const int rc = archive_read_next_header(in.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
      return Error(fmt::format("a broken archive: {}", archive_error_string(in.get())));
    const char* raw = archive_entry_pathname(e);
    const std::string name = raw ? raw : "";
    if (!SafePath(name))
      return Error(fmt::format("the archive holds '{}', a path outside it: refused", name));
    const mode_t type = archive_entry_filetype(e);
    const fs::path target = fs::path(into) / name;
    if (type == AE_IFDIR) {
      fs::create_directories(target);
      continue;
    }
    if (type != AE_IFREG)
      return Error(
          fmt::format("the archive holds '{}', which is not a plain file or folder "
                      "(links and devices are refused)",
                      name));
    fs::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    if (!out) return Error(fmt::format("cannot write {}", target.string()));
    char buf[65536];
    for (;;) {
      const la_ssize_t n = archive_read_data(in.get(), buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) return Error(fmt::format("a broken archive: {}", archive_error_string(in.get())));
      total += n;
      if (total > max_bytes)
        return Error(fmt::format("the archive unpacks to more than {} bytes: refused", max_bytes));
      out.write(buf, n);
    }
    // Executable bits survive; nothing else (no setuid, no other owners).
    fs::permissions(target, (archive_entry_perm(e) & 0111) ? fs::perms(0755) : fs::perms(0644));
  }
  return {};
}

Result<std::string> FindEntry(const std::string& folder, const std::vector<std::string>& globs) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string base = it->path().filename().string();
    if (!base.empty() && base[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(fs::relative(it->path(), folder).string());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> crowded;
  for (const auto& glob : globs) {
    std::vector<std::string> hits;
    for (const auto& f : files) {
      // A glob without a slash matches a file's name at any depth.
      const std::string subject =
          glob.find('/') == std::string::npos ? fs::path(f).filename().string() : f;
      if (fnmatch(glob.c_str(), subject.c_str(), 0) == 0) hits.push_back(f);
    }
    if (hits.size() == 1) return hits[0];
    if (hits.size() > 1)
      crowded.push_back(fmt::format(
          "'{}' matches {} files ({}{})", glob, hits.size(),
          fmt::join(hits.begin(), hits.begin() + std::min<size_t>(3, hits.size()), ", "),
          hits.size() > 3 ? ", …" : ""));
  }
  if (!crowded.empty())
    return Error(fmt::format("no single entry file: {}", fmt::join(crowded, "; ")));
  return Error(fmt::format("no entry file: nothing matches {}", fmt::join(globs, ", ")));
}

}  // namespace proclab
