#include "runner/os/accounts.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

#include "runner/base/units.h"
#include "runner/os/spawn.h"
#include "runner/os/sys_error.h"
#include "runner/os/write_all.h"

namespace proclab::os {

Result<Account> LookupAccount(const std::string& user) {
  if (!user.empty() && std::isdigit(static_cast<unsigned char>(user[0]))) {
    uid_t uid = static_cast<uid_t>(std::strtoul(user.c_str(), nullptr, 10));
    passwd* pw = getpwuid(uid);
    return Account{uid, pw ? pw->pw_gid : static_cast<gid_t>(uid), pw ? pw->pw_name : user};
  }
  passwd* pw = getpwnam(user.c_str());
  if (!pw) {
    // Debian always has nobody; a minimal container may not.
    if (user == "nobody") return Account{65534, 65534, "nobody"};
    return Error(fmt::format("unknown user '{}'", user));
  }
  return Account{pw->pw_uid, pw->pw_gid, pw->pw_name};
}

namespace {

// The reading child's exit statuses besides 0 and errno values.
constexpr int kNotAFile = 250;
constexpr int kTooLarge = 251;

// Runs in the child, as `who`: the file to stdout, or an exit status that
// says why not.
int CopyToStdout(const char* path, int64_t max_bytes) {
  const int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st {};
  if (fstat(fd, &st) != 0) return errno;
  if (!S_ISREG(st.st_mode)) return kNotAFile;
  char buf[65536];
  int64_t total = 0;
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return 0;
    if ((total += n) > max_bytes) return kTooLarge;
    if (!WriteAll(1, {buf, static_cast<size_t>(n)})) return EPIPE;
  }
}

}  // namespace

Result<std::string> ReadFileAs(const std::string& path, const Account& who, int64_t max_bytes,
                               int64_t timeout_us) {
  SpawnSpec spec;
  spec.argv = {"read " + path};  // named only if the child cannot start
  if (who.uid != geteuid()) {
    spec.uid = who.uid;
    spec.gid = who.gid;
  }
  const char* file = path.c_str();
  spec.run_in_child = [file, max_bytes] { return CopyToStdout(file, max_bytes); };
  auto done = RunToCompletion(std::move(spec), timeout_us);
  if (!done) return done.error();
  if (done->exited_ok()) return std::move(done->output);
  if (done->timed_out) return Error("timed out after " + FormatDuration(timeout_us));
  if (!WIFEXITED(done->status)) return Error(done->Describe());
  const int code = WEXITSTATUS(done->status);
  if (code == kNotAFile) return Error("not a regular file");
  if (code == kTooLarge) return Error("larger than " + FormatSize(max_bytes));
  return Error(fmt::format("{} ({})", strerror(code), ErrnoName(code)));
}

}  // namespace proclab::os
