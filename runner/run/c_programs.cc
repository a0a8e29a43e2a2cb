#include "runner/run/c_programs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace proclab {
namespace fs = std::filesystem;

namespace {

constexpr const char* kFlags[] = {"-std=gnu11", "-O1", "-Wall", "-pthread"};

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
  const std::string log = tmp + ".log";
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<const char*> argv = {"cc"};
    for (const char* flag : kFlags) argv.push_back(flag);
    for (const char* a : {"-o", tmp.c_str(), source.c_str()}) argv.push_back(a);
    argv.push_back(nullptr);
    execvp("cc", const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream l(log);
  std::stringstream msg;
  msg << l.rdbuf();
  unlink(log.c_str());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    unlink(tmp.c_str());
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
      return Error("could not run the C compiler 'cc'");
    return Error(fmt::format("could not compile {}:\n{}", source, msg.str()));
  }
  chmod(tmp.c_str(), 0755);
  rename(tmp.c_str(), out.c_str());  // atomic: parallel runs may race to build it
  return out;
}

}  // namespace proclab
