#include "runner/run/c_programs.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "runner/os/accounts.h"
#include "runner/os/scratch_dir.h"
#include "runner/os/spawn.h"
#include "runner/os/sys_error.h"
#include "runner/os/unique_fd.h"
#include "runner/os/write_all.h"

namespace proclab {
namespace fs = std::filesystem;

namespace {

constexpr const char* kFlags[] = {"-std=gnu11", "-O1", "-Wall", "-pthread"};
constexpr int64_t kCompileTimeoutUs = 120'000'000;
constexpr int64_t kMaxSource = 16 << 20;

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

// Who compiles: the account the lab runs the program as when we are root
// (lab/lab_process.cc's rule), else ourselves.
Result<os::Account> Compiler(const std::string& user) {
  if (geteuid() != 0 || user == "root") return os::LookupAccount(std::to_string(geteuid()));
  return os::LookupAccount(user.empty() ? "nobody" : user);
}

// `cc` compiling `source` to `built`, as `who`, in `folder` (its cwd, its
// TMPDIR and, as another account, its HOME).
os::SpawnSpec CompilerSpec(const std::string& source, const std::string& built,
                           const os::Account& who, const std::string& folder) {
  os::SpawnSpec spec;
  spec.argv = {"cc"};
  for (const char* flag : kFlags) spec.argv.push_back(flag);
  for (const std::string& a : {std::string("-o"), built, source}) spec.argv.push_back(a);
  const bool as_other = who.uid != geteuid();
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (!kv.starts_with("TMPDIR=") && !(as_other && kv.starts_with("HOME=")))
      spec.env.push_back(kv);
  }
  spec.env.push_back("TMPDIR=" + folder);
  if (as_other) {
    spec.env.push_back("HOME=" + folder);
    spec.uid = who.uid;
    spec.gid = who.gid;
  }
  spec.cwd = folder;
  return spec;
}

// Copies the compiler's output `built` (a plain file of `builder`'s) to `to`
// as our own file, so that the account that wrote it cannot change the
// cached binary later.
Status TakeOver(const std::string& built, uid_t builder, const std::string& to) {
  os::UniqueFd in(open(built.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!in) return os::SysError(fmt::format("open({})", built));
  struct stat st {};
  if (fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != builder)
    return Error(fmt::format("{} is not a file the compiler wrote", built));
  unlink(to.c_str());
  os::UniqueFd out(open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700));
  if (!out) return os::SysError(fmt::format("open({})", to));
  char buf[65536];
  for (;;) {
    const ssize_t n = read(in.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return os::SysError(fmt::format("read({})", built));
    if (n == 0) break;
    if (!os::WriteAll(out.get(), {buf, static_cast<size_t>(n)}))
      return os::SysError(fmt::format("write({})", to));
  }
  if (fchmod(out.get(), 0755) != 0) return os::SysError(fmt::format("chmod({})", to));
  return {};
}

}  // namespace

Result<std::string> CompileC(const std::string& source, const std::string& user) {
  auto who = Compiler(user);
  if (!who) return Error(fmt::format("could not compile {}: {}", source, who.error().message));
  std::error_code ec;
  std::string path = fs::absolute(source, ec).string();  // the compiler runs elsewhere
  if (ec) path = source;
  auto text = os::ReadFileAs(path, *who, kMaxSource, kCompileTimeoutUs);
  if (!text)
    return Error(fmt::format("could not compile {}: {} cannot read it: {}", source, who->name,
                             text.error().message));
  std::string key = *text;
  for (const char* flag : kFlags) key += flag;
  key += fmt::format("\n{}:{}", who->uid, who->gid);  // another account may read another file
  auto dir = CacheDir();
  if (!dir) return dir.error();
  const std::string stem = fs::path(source).stem().string();
  const std::string out = fmt::format("{}/{}-{:016x}", *dir, stem, std::hash<std::string>{}(key));
  if (access(out.c_str(), X_OK) == 0) return out;

  // The compiler works in a folder of the compiling account's own.
  auto build = os::ScratchDir::Create(who->uid, who->gid);
  if (!build) return Error("could not make a folder to compile in: " + build.error().message);
  const std::string built = build->path() + "/a.out";
  auto done =
      os::RunToCompletion(CompilerSpec(path, built, *who, build->path()), kCompileTimeoutUs);
  if (!done) return Error(fmt::format("could not run the C compiler: {}", done.error().message));
  if (!done->exited_ok())
    return Error(
        fmt::format("could not compile {} ({}):\n{}", source, done->Describe(), done->output));
  const std::string tmp = out + fmt::format(".tmp{}", getpid());
  if (Status st = TakeOver(built, who->uid, tmp); !st) {
    unlink(tmp.c_str());
    return Error("could not keep the compiled program: " + st.error().message);
  }
  rename(tmp.c_str(), out.c_str());  // atomic: parallel runs may race to build it
  return out;
}

}  // namespace proclab
