#include "runner/os/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "runner/base/clock.h"
#include "runner/base/signal_names.h"
#include "runner/os/sys_error.h"

namespace proclab::os {
namespace {

// Candidate paths for argv[0], in execvp's order, computed before fork so the
// child only calls async-signal-safe functions.
std::vector<std::string> Candidates(const SpawnSpec& spec) {
  const std::string& name = spec.argv[0];
  if (name.find('/') != std::string::npos) return {name};
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& kv : spec.env)
    if (kv.rfind("PATH=", 0) == 0) path = kv.substr(5);
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    out.push_back((dir.empty() ? std::string(".") : dir) + "/" + name);
    start = end + 1;
  }
  return out;
}

[[noreturn]] void Fail(int fd, int stage) {
  LaunchFailure f{stage, errno};
  ssize_t ignored = write(fd, &f, sizeof f);
  (void)ignored;
  _exit(127);
}

[[noreturn]] void RunChild(const SpawnSpec& spec, int go_fd, int go_write_fd, int err_fd,
                           int join_fd, const std::vector<const char*>& paths, char* const* argv,
                           char* const* envp) {
  // Our copy of the go pipe's write end would hide the EOF that says the
  // parent gave up on us.
  close(go_write_fd);
  if (join_fd >= 0) {
    int err = 0;
    for (int fd : spec.join_fds)
      if (write(fd, "0", 1) != 1 && err == 0) err = errno;
    (void)!write(join_fd, &err, sizeof err);
    close(join_fd);
  }
  if (spec.nice) (void)setpriority(PRIO_PROCESS, 0, *spec.nice);
  for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
  setpgid(0, 0);
  int wanted[3] = {spec.stdin_fd, spec.stdout_fd, spec.stderr_fd};
  for (int target = 0; target < 3; ++target) {
    if (wanted[target] < 0) continue;
    if (wanted[target] == target) {
      fcntl(target, F_SETFD, 0);  // keep it across exec
    } else if (dup2(wanted[target], target) < 0) {
      Fail(err_fd, LaunchFailure::kDup);
    }
  }
  // Only 0, 1 and 2 reach the program; the go and error pipes close at exec.
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  if (spec.foreground_tty && tcsetpgrp(0, getpid()) != 0) Fail(err_fd, LaunchFailure::kTty);

  char go = 0;
  while (read(go_fd, &go, 1) < 0 && errno == EINTR) {
  }
  if (go != 'g') _exit(127);  // the lab gave up on us

  if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) Fail(err_fd, LaunchFailure::kChdir);
  for (const Rlimit& r : spec.rlimits) {
    rlimit lim{r.soft, r.hard};
    if (setrlimit(r.resource, &lim) != 0) Fail(err_fd, LaunchFailure::kRlimit);
  }
  if (spec.filter) {
    // Privileged (or namespace-root) labs need no no_new_privs, so setuid
    // programs keep working; otherwise the kernel insists on it.
    if (spec.filter->InstallInChild(false) != 0 &&
        (errno != EACCES || spec.filter->InstallInChild(true) != 0))
      Fail(err_fd, LaunchFailure::kSeccomp);
  }
  if (spec.gid != static_cast<gid_t>(-1)) {
    if (setgroups(0, nullptr) != 0 || setresgid(spec.gid, spec.gid, spec.gid) != 0)
      Fail(err_fd, LaunchFailure::kCredentials);
  }
  if (spec.uid != static_cast<uid_t>(-1) && setresuid(spec.uid, spec.uid, spec.uid) != 0)
    Fail(err_fd, LaunchFailure::kCredentials);

  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (spec.run_in_child) {
    // No exec: close what exec would have (the error pipe's EOF says "started").
    environ = const_cast<char**>(envp);
    syscall(SYS_close_range, 3, ~0U, 0);
    _exit(spec.run_in_child());
  }
  int first_err = 0;
  for (const char* path : paths) {
    execve(path, argv, envp);
    // execvp's rules: keep looking after ENOENT/ENOTDIR, remember EACCES.
    if (errno == EACCES && first_err == 0) first_err = EACCES;
    if (errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
      first_err = errno;
      break;
    }
  }
  if (first_err) errno = first_err;
  Fail(err_fd, LaunchFailure::kExec);
}

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string LaunchFailure::Describe(const SpawnSpec& spec) const {
  const std::string program = spec.argv.empty() ? std::string("?") : spec.argv[0];
  std::string what;
  switch (stage) {
    case kDup: what = "dup2 of its standard descriptors"; break;
    case kChdir: what = fmt::format("chdir({})", spec.cwd); break;
    case kRlimit: what = "setrlimit"; break;
    case kSeccomp: what = "installing the seccomp filter"; break;
    case kCredentials: what = fmt::format("switching to uid {}", spec.uid); break;
    case kTty: what = "taking the terminal (tcsetpgrp)"; break;
    case kExec: what = fmt::format("execve({})", program); break;
    default: what = "launch"; break;
  }
  return fmt::format("could not start '{}': {}: {} ({})", program, what, strerror(err),
                     ErrnoName(err));
}

Result<int> ProgramChild::Kill() {
  kill(pid_, SIGKILL);
  return child_.Wait();
}

Status ProgramChild::Go() {
  char go = 'g';
  if (write(go_write_.get(), &go, 1) != 1) return SysError("write(go pipe)");
  go_write_.Reset();
  return {};
}

std::optional<LaunchFailure> ProgramChild::ReadFailure() {
  LaunchFailure f;
  ssize_t n;
  do {
    n = read(err_read_.get(), &f, sizeof f);
  } while (n < 0 && errno == EINTR);
  err_read_.Reset();
  if (n == static_cast<ssize_t>(sizeof f)) return f;
  return std::nullopt;
}

Result<int> ProgramChild::AwaitJoin() {
  if (!join_read_) return 0;
  int err = 0;
  ssize_t n;
  do {
    n = read(join_read_.get(), &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  join_read_.Reset();
  if (n != static_cast<ssize_t>(sizeof err))
    return Error("the program's child died before it joined its cgroup");
  return err;
}

Result<ProgramChild> SpawnBlocked(const SpawnSpec& spec) {
  if (spec.argv.empty()) return Error("no program to start: the command is empty");
  auto go = MakePipe();
  if (!go) return go.error();
  auto err = MakePipe();
  if (!err) return err.error();
  std::optional<Pipe> join;
  if (!spec.join_fds.empty()) {
    auto made = MakePipe();
    if (!made) return made.error();
    join = std::move(*made);
  }

  std::vector<std::string> candidates = Candidates(spec);
  std::vector<const char*> paths;
  paths.reserve(candidates.size());
  for (const auto& c : candidates) paths.push_back(c.c_str());
  std::vector<char*> argv = CStrings(spec.argv);
  std::vector<char*> envp = CStrings(spec.env);

  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  // The lab is not dumpable, so tracees cannot ptrace it; a child inherits
  // that, and inside a user namespace not even the lab could seize it then.
  // No tracee exists yet to exploit the moment in between.
  const int dumpable = prctl(PR_GET_DUMPABLE);
  prctl(PR_SET_DUMPABLE, 1);
  pid_t pid = fork();
  if (pid == 0)
    RunChild(spec, go->read.get(), go->write.get(), err->write.get(), join ? join->write.get() : -1,
             paths, argv.data(), envp.data());
  int fork_errno = errno;
  prctl(PR_SET_DUMPABLE, dumpable);
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) return SysError("fork", fork_errno);

  ProgramChild child;
  child.pid_ = pid;
  child.child_ = Child(pid, StopPolicy{0, 1'000'000});
  child.go_write_ = std::move(go->write);
  child.err_read_ = std::move(err->read);
  if (join) child.join_read_ = std::move(join->read);
  return child;
}

bool Completion::exited_ok() const {
  return !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string Completion::Describe() const {
  if (timed_out) return "timed out";
  if (WIFEXITED(status)) return fmt::format("exit {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by {}", SignalName(WTERMSIG(status)));
  return "ended";
}

Result<Completion> RunToCompletion(SpawnSpec spec, int64_t timeout_us) {
  auto out = MakePipe();
  if (!out) return out.error();
  UniqueFd null;
  if (spec.stdin_fd < 0) {
    null.Reset(open("/dev/null", O_RDONLY | O_CLOEXEC));
    spec.stdin_fd = null.get();
  }
  spec.stdout_fd = spec.stderr_fd = out->write.get();
  auto child = SpawnBlocked(spec);
  if (!child) return child.error();
  out->write.Reset();  // only the child writes now: EOF when it is done
  if (Status st = child->Go(); !st) return st.error();
  if (auto failure = child->ReadFailure()) return Error(failure->Describe(spec));
  Completion done;
  const int64_t deadline = timeout_us > 0 ? MonotonicUs() + timeout_us : -1;
  char buf[65536];
  for (;;) {
    pollfd p{out->read.get(), POLLIN, 0};
    const int wait_ms = deadline < 0 ? -1 : PollTimeoutMs(deadline, MonotonicUs());
    const int n = poll(&p, 1, wait_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      done.timed_out = true;
      break;
    }
    const ssize_t got = read(out->read.get(), buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done.output.append(buf, static_cast<size_t>(got));
  }
  auto status = done.timed_out ? child->Kill() : child->Wait();
  if (!status) return status.error();
  done.status = *status;
  return done;
}

}  // namespace proclab::os
