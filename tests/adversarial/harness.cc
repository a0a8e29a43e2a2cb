#include "tests/adversarial/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "runner/os/cgroup.h"

extern char** environ;

namespace proclab::testing::adversarial {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void NapMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// "/proc/PID/FILE" with NULs turned into spaces.
std::string ProcText(pid_t pid, const char* file) {
  std::string text = ReadFile(fmt::format("/proc/{}/{}", pid, file));
  for (char& c : text)
    if (c == '\0') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// The process's state letter from /proc/PID/stat ('?' if gone).
char State(pid_t pid) {
  const std::string stat = ReadFile(fmt::format("/proc/{}/stat", pid));
  const size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() ? '?' : stat[paren + 2];
}

bool Gone(pid_t pid) {
  const char s = State(pid);
  return s == '?' || s == 'Z' || s == 'X';
}

std::vector<pid_t> AllPids() {
  std::vector<pid_t> pids;
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d))
      if (const long pid = std::atol(e->d_name); pid > 0) pids.push_back(static_cast<pid_t>(pid));
    closedir(d);
  }
  return pids;
}

// Our children (orphans of the run come here: we are a subreaper) and the
// processes holding the tag, that are still alive. Zombie children are
// reaped on the way.
std::set<pid_t> Remaining(const std::string& tag) {
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  std::set<pid_t> found;
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    std::istringstream children(ReadFile(task.path().string() + "/children"));
    pid_t pid = 0;
    while (children >> pid)
      if (!Gone(pid)) found.insert(pid);
  }
  if (!tag.empty())
    for (pid_t pid : AllPids()) {
      if (pid == getpid() || Gone(pid)) continue;
      if (ProcText(pid, "cmdline").find(tag) != std::string::npos ||
          ProcText(pid, "environ").find(tag) != std::string::npos)
        found.insert(pid);
    }
  return found;
}

// What the run left alive, given a few seconds to go; killed afterwards.
std::vector<std::string> Leftovers(const std::string& tag) {
  const auto start = Clock::now();
  std::set<pid_t> left = Remaining(tag);
  while (!left.empty() && Since(start) < 3) {
    NapMs(20);
    left = Remaining(tag);
  }
  std::vector<std::string> described;
  for (pid_t pid : left) {
    described.push_back(fmt::format("{} {}", pid, ProcText(pid, "cmdline")));
    kill(pid, SIGKILL);
  }
  for (int i = 0; i < 100 && !Remaining(tag).empty(); ++i) NapMs(10);
  return described;
}

// The caller's groups under which proclab (or the sandbox) made its own:
// proclab-PID, or proclab-sandbox-PID.
std::vector<std::string> GroupRoots(pid_t pid, bool sandbox) {
  static const os::CgroupLayout layout = os::CgroupLayout::Read();
  std::vector<std::string> roots;
  for (const auto& [controller, dir] : layout.dirs)
    roots.push_back(fmt::format("{}/proclab-{}{}", dir, sandbox ? "sandbox-" : "", pid));
  return roots;
}

std::vector<pid_t> Procs(const std::string& group) {
  std::istringstream in(ReadFile(group + "/cgroup.procs"));
  std::vector<pid_t> pids;
  pid_t pid = 0;
  while (in >> pid) pids.push_back(pid);
  return pids;
}

// Groups at or under `root`, deepest first.
std::vector<std::string> GroupsUnder(const std::string& root) {
  std::vector<std::string> groups;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return groups;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec)) groups.push_back(it->path().string());
  std::sort(groups.begin(), groups.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  groups.push_back(root);
  return groups;
}

int SlotTasks(const std::vector<std::string>& roots) {
  int most = 0;
  for (const auto& root : roots) {
    int tasks = 0;
    for (const auto& g : GroupsUnder(root))
      if (fs::path(g).filename().string().rfind("slot-", 0) == 0)
        tasks += static_cast<int>(Procs(g).size());
    most = std::max(most, tasks);
  }
  return most;
}

// Groups that outlived proclab, with their tasks; unless `keep`, their
// tasks are killed and the groups removed.
std::vector<std::string> GroupsLeft(const std::vector<std::string>& roots, bool keep) {
  std::vector<std::string> left;
  for (const auto& root : roots)
    for (const auto& g : GroupsUnder(root)) {
      const std::vector<pid_t> procs = Procs(g);
      left.push_back(fmt::format("{} ({} tasks)", g, procs.size()));
      if (keep) continue;
      for (pid_t pid : procs) kill(pid, SIGKILL);
      for (int i = 0; i < 100 && !Procs(g).empty(); ++i) NapMs(10);
      rmdir(g.c_str());
    }
  return left;
}

Outcome Execute(std::vector<std::string> argv, const Options& o) {
  static const bool reaper = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
  EXPECT_TRUE(reaper) << "the harness cannot be a subreaper: containment is checked less";
  Outcome r;
  r.sandboxed = o.sandbox;
  if (o.sandbox) {
    const int memory_mb = Sanitized() ? 4 * o.memory_mb : o.memory_mb;
    argv.insert(argv.begin(), {PROCLAB_SANDBOX, "--pid-max", std::to_string(o.pid_max),
                               "--memory-mb", std::to_string(memory_mb), "--"});
  }
  char dir[] = "/tmp/adv-out-XXXXXX";
  const std::string d = mkdtemp(dir);
  const std::string out = d + "/out", err = d + "/err";

  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  for (const auto& kv : o.env) {
    const std::string key = kv.substr(0, kv.find('=') + 1);
    std::erase_if(env, [&](const std::string& e) { return e.rfind(key, 0) == 0; });
    env.push_back(kv);
  }
  std::vector<char*> args, envp;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o.tty >= 0) {
      setsid();
      if (ioctl(o.tty, TIOCSCTTY, 0) != 0) _exit(125);
      dup2(o.tty, 0);
    } else {
      dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
    }
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    if (!o.cwd.empty() && chdir(o.cwd.c_str()) != 0) _exit(125);
    for (int i = 0; i < o.extra_fds; ++i) open("/dev/null", O_RDONLY);  // inherited
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  r.pid = pid;

  // Sample the job-slot groups while it runs.
  const std::vector<std::string> roots = GroupRoots(pid, o.sandbox);
  std::atomic<bool> done{false};
  std::atomic<int> most{0};
  std::thread sampler([&] {
    while (!done) {
      most = std::max(most.load(), SlotTasks(roots));
      NapMs(20);
    }
  });
  if (o.during) o.during(pid);
  int status = 0;
  struct rusage usage {};
  for (;;) {
    const pid_t got = wait4(pid, &status, WNOHANG, &usage);
    if (got == pid || (got < 0 && errno != EINTR)) break;
    if (!r.hit_deadline && Since(start) > o.deadline_s) {
      kill(pid, SIGKILL);
      r.hit_deadline = true;
    }
    NapMs(5);
  }
  r.seconds = Since(start);
  done = true;
  sampler.join();
  r.max_slot_tasks = most;
  r.max_rss_kb = usage.ru_maxrss;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  fs::remove_all(d);

  r.left = Leftovers(o.tag);
  r.groups_left = GroupsLeft(roots, o.keep_groups);
  if (o.sandbox) {
    std::istringstream lines(r.err);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("sandbox: left alive: ", 0) == 0) r.left.push_back(line.substr(21));
      if (line.rfind("sandbox: cgroup left behind: ", 0) == 0)
        r.groups_left.push_back(line.substr(29));
    }
  }
  return r;
}

}  // namespace

std::string Program(const std::string& name) {
  return std::string(PROCLAB_TRACEE_DIR) + "/adversarial/" + name;
}

std::string Tracee(const std::string& name) { return std::string(PROCLAB_TRACEE_DIR) + "/" + name; }

std::string NewTag() {
  static int n = 0;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->name()) : "none";
  for (char& c : name)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return fmt::format("adv-{}-{}-{}", name, getpid(), ++n);
}

Scratch::Scratch(bool writable) {
  char templ[] = "/tmp/adv-XXXXXX";
  path_ = mkdtemp(templ);
  chmod(path_.c_str(), writable ? 0777 : 0755);
}

Scratch::~Scratch() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string Scratch::Write(const std::string& name, const std::string& text,
                           const std::string& tag) const {
  std::string body = Replace(text, "@ADV@", std::string(PROCLAB_TRACEE_DIR) + "/adversarial");
  body = Replace(body, "@TRACEES@", PROCLAB_TRACEE_DIR);
  body = Replace(body, "@TAG@", tag);
  const std::string path = path_ + "/" + name;
  std::ofstream(path) << body;
  return path;
}

Outcome RunProclab(const std::vector<std::string>& args, const Options& options) {
  std::vector<std::string> argv = {PROCLAB_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return Execute(argv, options);
}

Outcome RunCommand(const std::vector<std::string>& argv, const Options& options) {
  return Execute(argv, options);
}

::testing::AssertionResult Says(const Ran& r, const std::string& phrase) {
  if (r.out.find(phrase) != std::string::npos || r.err.find(phrase) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << phrase << "\" is not in:\n"
                                       << r.out.substr(0, 6000) << "\n--- stderr:\n"
                                       << r.err.substr(0, 3000);
}

::testing::AssertionResult Contained(const Outcome& r) {
  auto fail = ::testing::AssertionFailure();
  bool ok = true;
  if (r.hit_deadline) {
    ok = false;
    fail << "proclab did not end on its own: the harness killed it. ";
  }
  if (r.sandboxed && r.status == 77) {
    ok = false;
    fail << "the sandbox could not be made. ";
  }
  for (const auto& p : r.left) {
    ok = false;
    fail << "left alive: " << p << ". ";
  }
  for (const auto& g : r.groups_left) {
    ok = false;
    fail << "cgroup left: " << g << ". ";
  }
  if (ok) return ::testing::AssertionSuccess();
  return fail << "\n" << r.out.substr(0, 3000) << "\n--- stderr:\n" << r.err.substr(0, 3000);
}

bool Sanitized() {
#ifdef PROCLAB_SANITIZED
  return true;
#else
  return false;
#endif
}

double Slack() { return Sanitized() ? 4 : 1; }

::testing::AssertionResult Small(const Outcome& r, int64_t mib) {
  if (Sanitized() || (r.max_rss_kb > 0 && r.max_rss_kb < mib * 1024))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "peak memory " << r.max_rss_kb / 1024 << " MiB, not under " << mib << " MiB";
}

nlohmann::json ReadJson(const std::string& path) {
  return nlohmann::json::parse(ReadFile(path), nullptr, /*allow_exceptions=*/false);
}

nlohmann::json ReadJsonWithoutTraces(const std::string& path) {
  const nlohmann::json::parser_callback_t drop_traces = [](int, nlohmann::json::parse_event_t event,
                                                           nlohmann::json& parsed) {
    return !(event == nlohmann::json::parse_event_t::key && parsed == "trace");
  };
  return nlohmann::json::parse(ReadFile(path), drop_traces, /*allow_exceptions=*/false);
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<std::string> OutputLines(const nlohmann::json& trace) {
  std::vector<std::string> lines;
  if (!trace.is_object() || !trace.contains("events")) return lines;
  for (const auto& e : trace["events"])
    if (e.value("type", "") == "output") {
      std::string text = e.value("text", "");
      if (!text.empty() && text.back() == '\n') text.pop_back();
      lines.push_back(e.value("stream", "") + ": " + text);
    }
  return lines;
}

std::vector<nlohmann::json> EventsOf(const nlohmann::json& trace, const std::string& type) {
  std::vector<nlohmann::json> found;
  if (!trace.is_object() || !trace.contains("events")) return found;
  for (const auto& e : trace["events"])
    if (e.value("type", "") == type) found.push_back(e);
  return found;
}

Options Tagged(bool sandbox, int memory_mb) {
  Options o;
  o.tag = NewTag();
  o.sandbox = sandbox;
  o.memory_mb = memory_mb;
  return o;
}

Outcome TraceTagged(const Options& o, std::vector<std::string> flags,
                    std::vector<std::string> argv) {
  std::vector<std::string> args = {"trace", "-e", "ADV_TAG=" + o.tag};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back("--");
  args.insert(args.end(), argv.begin(), argv.end());
  return RunProclab(args, o);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

long NumberAfter(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return -1;
  return std::atol(text.c_str() + at + prefix.size());
}

}  // namespace proclab::testing::adversarial
