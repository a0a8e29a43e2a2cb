#include "runner/grade/grade_cache.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/base/fnv_hash.h"

namespace proclab {
namespace fs = std::filesystem;

namespace {

constexpr const char* kMagic = "proclab-grade-cache";
constexpr int kFormat = 1;
constexpr const char* kSuffix = ".entry";
constexpr const char* kTemporary = ".tmp-";

}  // namespace

GradeCache::GradeCache(std::string dir, std::string identity)
    : dir_(std::move(dir)), identity_(std::move(identity)) {}

Status GradeCache::Open() const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Error(fmt::format("cannot create {}: {}", dir_, ec.message()));
  if (!fs::is_directory(dir_, ec)) return Error(fmt::format("{} is not a folder", dir_));
  return {};
}

std::string GradeCache::PathOf(const std::string& key) const {
  return (fs::path(dir_) / (key + kSuffix)).string();
}

GradeCache::Found GradeCache::Load(const std::string& key) const {
  Found out;
  std::ifstream f(PathOf(key), std::ios::binary);
  if (!f) {
    std::error_code ec;
    if (!fs::exists(PathOf(key), ec)) return out;
    out.kind = Found::kDamaged;
    out.why = "it cannot be read";
    return out;
  }
  std::string header;
  std::getline(f, header);
  std::string payload((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream fields(header);
  std::string magic, identity, stored_key, check, extra;
  int format = 0;
  fields >> magic >> format >> identity >> stored_key >> check;
  out.kind = Found::kDamaged;
  if (magic != kMagic || !fields || (fields >> extra)) {
    out.why = "it is not a proclab cache entry";
  } else if (format != kFormat || identity != identity_) {
    out.kind = Found::kForeign;
    out.why = format != kFormat ? fmt::format("it has cache format {}", format)
                                : fmt::format("another proclab build wrote it ({})", identity);
  } else if (stored_key != key) {
    out.why = fmt::format("it holds the entry {}", stored_key);
  } else if (f.bad() || Fnv1a().Bytes(payload).Hex() != check) {
    out.why = "its content does not match its checksum";
  } else {
    out.kind = Found::kHit;
    out.payload = std::move(payload);
  }
  return out;
}

Status GradeCache::Store(const std::string& key, const std::string& payload) const {
  const std::string path = PathOf(key);
  const std::string temporary = fmt::format("{}/.{}{}{}", dir_, key, kTemporary, getpid());
  {
    std::ofstream f(temporary, std::ios::binary | std::ios::trunc);
    f << fmt::format("{} {} {} {} {}\n", kMagic, kFormat, identity_, key,
                     Fnv1a().Bytes(payload).Hex())
      << payload;
    f.flush();
    if (!f) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return Error(fmt::format("cannot write {}", temporary));
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return Error(fmt::format("cannot write {}: {}", path, ec.message()));
  }
  return {};
}

void GradeCache::Prune(const std::set<std::string>& keep) const {
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir_, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool entry = name.ends_with(kSuffix) &&
                       !keep.count(name.substr(0, name.size() - std::string(kSuffix).size()));
    const bool temporary = name.starts_with(".") && name.find(kTemporary) != std::string::npos;
    std::error_code ignored;
    if ((entry || temporary) && it->is_regular_file(ignored)) fs::remove(it->path(), ignored);
  }
}

}  // namespace proclab
