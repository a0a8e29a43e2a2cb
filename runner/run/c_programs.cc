#include "runner/run/c_programs.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "runner/os/spawn.h"

namespace proclab {
namespace fs = std::filesystem;

namespace {

constexpr const char* kFlags[] = {"-std=gnu11", "-O1", "-Wall", "-pthread"};
constexpr int64_t kCompileTimeoutUs = 120'000'000;

// Our own cache folder: owned by us and writable by nobody else, or refused.
Result<std::string> CacheDir() {
  std::string dir = fmt::format("/tmp/proclab-cc-{}", geteuid());
  mkdir(dir.c_str(), 0755);
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
      (st.st_mode & 022))
    return Error(
        fmt::format("{} is not a private cache folder (owner or permissions are wrong)", dir));
  chmod(dir.c_str(), 0755);
  return dir;
}

}  // namespace

Result<std::string> CompileC(const std::string& source) {
  std::ifstream f(source, std::ios::binary);
  if (!f) return Error(fmt::format("cannot read {}", source));
  std::stringstream text;
  text << f.rdbuf();
  std::string key = text.str();
  for (const char* flag : kFlags) key += flag;
  auto dir = CacheDir();
  if (!dir) return dir.error();
  const std::string stem = fs::path(source).stem().string();
  const std::string out = fmt::format("{}/{}-{:016x}", *dir, stem, std::hash<std::string>{}(key));
  if (access(out.c_str(), X_OK) == 0) return out;

  const std::string tmp = out + fmt::format(".tmp{}", getpid());
  os::SpawnSpec spec;
  spec.argv = {"cc"};
  for (const char* flag : kFlags) spec.argv.push_back(flag);
  for (const std::string& a : {std::string("-o"), tmp, source}) spec.argv.push_back(a);
  for (char** e = environ; *e; ++e) spec.env.push_back(*e);
  auto done = os::RunToCompletion(std::move(spec), kCompileTimeoutUs);
  if (!done) return Error(fmt::format("could not run the C compiler: {}", done.error().message));
  if (!done->exited_ok()) {
    unlink(tmp.c_str());
    return Error(
        fmt::format("could not compile {} ({}):\n{}", source, done->Describe(), done->output));
  }
  chmod(tmp.c_str(), 0755);
  rename(tmp.c_str(), out.c_str());  // atomic: parallel runs may race to build it
  return out;
}

}  // namespace proclab
