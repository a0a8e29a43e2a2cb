#include "runner/os/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runner/os/sys_error.h"

namespace proclab::os {
namespace {

// The controllers a run's group uses (v1 names; v2 has "cpu" for cpuacct).
// cpuset is optional: a group without it is pinned by affinity alone.
const std::vector<std::string> kControllers = {"pids", "memory", "cpuacct", "cpuset"};

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

Status WriteFile(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return SysError(fmt::format("open({})", path));
  const ssize_t n = write(fd, text.data(), text.size());
  const int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(text.size())) return SysError(fmt::format("write({})", path), err);
  return {};
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

// "oom_kill 3" in a flat-keyed file.
std::optional<int64_t> Key(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string k;
  int64_t v = 0;
  while (in >> k >> v)
    if (k == key) return v;
  return std::nullopt;
}

std::optional<int64_t> Number(const std::string& text) {
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str()) return std::nullopt;
  return v;
}

Status MakeDirs(const std::string& base, const std::string& relative) {
  std::string dir = base;
  for (const auto& part : Split(relative, '/')) {
    if (part.empty()) continue;
    dir += "/" + part;
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
      return SysError(fmt::format("mkdir({})", dir));
  }
  return {};
}

// Gives each level of `relative` under `base` its parent's cpuset.cpus and
// cpuset.mems where it has none yet.
bool InheritCpuset(const std::string& base, const std::string& relative) {
  std::string parent = base;
  for (const auto& part : Split(relative, '/')) {
    if (part.empty()) continue;
    const std::string dir = parent + "/" + part;
    for (const char* file : {"/cpuset.cpus", "/cpuset.mems"}) {
      std::string mine = Slurp(dir + file);
      if (mine.find_first_not_of(" \n") != std::string::npos) continue;
      std::string theirs = Slurp(parent + file);
      while (!theirs.empty() && theirs.back() == '\n') theirs.pop_back();
      if (theirs.empty() || !WriteFile(dir + file, theirs).ok()) return false;
    }
    parent = dir;
  }
  return true;
}

void Nap(int64_t us) {
  timespec ts{static_cast<time_t>(us / 1'000'000), static_cast<long>(us % 1'000'000) * 1000};
  nanosleep(&ts, nullptr);
}

}  // namespace

CgroupLayout CgroupLayout::Parse(const std::string& self, const std::string& mountinfo) {
  CgroupLayout layout;
  std::map<std::string, std::string> v1_path;  // controller → caller's path
  std::string v2_path;
  bool have_v2_line = false;
  for (const auto& line : Split(self, '\n')) {
    const size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    const std::string path = line.substr(b + 1);
    if (controllers.empty()) {
      v2_path = path;
      have_v2_line = true;
    }
    for (const auto& c : Split(controllers, ',')) v1_path[c] = path;
  }
  std::map<std::string, std::string> v1_dir;
  std::string v2_dir;
  for (const auto& line : Split(mountinfo, '\n')) {
    const size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    const auto left = Split(line.substr(0, dash), ' ');
    const auto right = Split(line.substr(dash + 3), ' ');
    if (left.size() < 5 || right.size() < 3) continue;
    const std::string& root = left[3];
    const std::string& mount = left[4];
    // The caller's path, seen from this mount's root.
    auto inside = [&](const std::string& path) {
      if (root == "/") return path;
      if (path.rfind(root, 0) == 0) return path.substr(root.size());
      return std::string("/");
    };
    if (right[0] == "cgroup2" && have_v2_line) v2_dir = mount + inside(v2_path);
    if (right[0] != "cgroup") continue;
    for (const auto& opt : Split(right[2], ','))
      if (v1_path.count(opt) &&
          std::find(kControllers.begin(), kControllers.end(), opt) != kControllers.end())
        v1_dir[opt] = mount + inside(v1_path[opt]);
  }
  if (v1_dir.count("pids") || v1_dir.count("memory")) {
    layout.dirs = v1_dir;
  } else if (!v2_dir.empty()) {
    layout.v2 = true;
    layout.dirs[""] = v2_dir;
  }
  for (auto& [c, d] : layout.dirs)
    while (d.size() > 1 && d.back() == '/') d.pop_back();
  return layout;
}

CgroupLayout CgroupLayout::Read() {
  return Parse(Slurp("/proc/self/cgroup"), Slurp("/proc/self/mountinfo"));
}

Result<Cgroup> Cgroup::Create(const CgroupLayout& layout, const std::string& relative) {
  Cgroup g;
  g.v2_ = layout.v2;
  if (layout.dirs.empty()) return Error("no cgroup hierarchy is mounted where proclab can see it");
  if (layout.v2) {
    const std::string base = layout.dirs.at("");
    // Each level must hand the controllers down to the next (v2 delegation):
    // the caller's own group can only if it was delegated to us.
    std::string dir = base;
    for (const auto& part : Split(relative, '/')) {
      if (part.empty()) continue;
      // cpuset apart and first: where it is not delegated, the rest must
      // still be enabled.
      (void)WriteFile(dir + "/cgroup.subtree_control", "+cpuset");
      const std::string enable = "+pids +memory +cpu";
      if (!WriteFile(dir + "/cgroup.subtree_control", enable).ok() &&
          Slurp(dir + "/cgroup.subtree_control").find("pids") == std::string::npos)
        return Error(
            fmt::format("cgroup v2: {} does not delegate the pids controller (write access to its "
                        "cgroup.subtree_control is needed)",
                        dir));
      dir += "/" + part;
      if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        return SysError(fmt::format("mkdir({})", dir));
    }
    g.dirs_[""] = dir;
    return g;
  }
  std::string why;
  for (const auto& [controller, base] : layout.dirs) {
    if (Status st = MakeDirs(base, relative); !st) {
      if (controller != "cpuset") why = st.error().message;
      continue;
    }
    // A new v1 cpuset starts with no CPUs and no memory nodes, and no task
    // can join it: each level gets its parent's. Without them, no cpuset.
    if (controller == "cpuset" && !InheritCpuset(base, relative)) continue;
    g.dirs_[controller] = base + "/" + relative;
  }
  if (g.dirs_.empty()) return Error(fmt::format("cgroup v1: {}", why));
  return g;
}

Cgroup Cgroup::Open(bool v2, std::map<std::string, std::string> dirs) {
  Cgroup g;
  g.v2_ = v2;
  g.dirs_ = std::move(dirs);
  return g;
}

std::string Cgroup::Dir(const std::string& controller) const {
  if (v2_) return dirs_.count("") ? dirs_.at("") : std::string();
  auto it = dirs_.find(controller);
  return it == dirs_.end() ? std::string() : it->second;
}

std::string Cgroup::Describe() const {
  if (v2_) return fmt::format("cgroup v2 at {}", Dir(""));
  std::string names;
  for (const auto& [c, d] : dirs_) names += (names.empty() ? "" : ", ") + c;
  return fmt::format("cgroup v1 ({})", names);
}

Status Cgroup::Join(pid_t pid) const {
  for (const auto& [c, dir] : dirs_)
    if (Status st = WriteFile(dir + "/cgroup.procs", std::to_string(pid)); !st) return st;
  return {};
}

Result<std::vector<UniqueFd>> Cgroup::OpenJoinFiles() const {
  std::vector<UniqueFd> out;
  for (const auto& [c, dir] : dirs_) {
    const std::string path = dir + (v2_ ? "/cgroup.procs" : "/tasks");
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) return SysError(fmt::format("open({})", path));
    out.push_back(std::move(fd));
  }
  return out;
}

Status Cgroup::SetTasksMax(int64_t tasks) const {
  const std::string dir = Dir("pids");
  if (dir.empty()) return Error("no pids controller");
  return WriteFile(dir + "/pids.max", tasks > 0 ? std::to_string(tasks) : "max");
}

Status Cgroup::SetMemoryMax(int64_t bytes) const {
  const std::string dir = Dir("memory");
  if (dir.empty()) return Error("no memory controller");
  if (v2_) {
    if (Status st = WriteFile(dir + "/memory.max", bytes > 0 ? std::to_string(bytes) : "max"); !st)
      return st;
    // No swap to hide in: the limit is the memory the run may use.
    (void)WriteFile(dir + "/memory.swap.max", bytes > 0 ? "0" : "max");
    return {};
  }
  return WriteFile(dir + "/memory.limit_in_bytes", bytes > 0 ? std::to_string(bytes) : "-1");
}

std::optional<int64_t> Cgroup::OomKills() const {
  const std::string dir = Dir("memory");
  if (dir.empty()) return std::nullopt;
  return Key(Slurp(dir + (v2_ ? "/memory.events" : "/memory.oom_control")), "oom_kill");
}

std::optional<int64_t> Cgroup::CpuUsageUs() const {
  if (v2_) {
    auto us = Key(Slurp(Dir("") + "/cpu.stat"), "usage_usec");
    return us;
  }
  const std::string dir = Dir("cpuacct");
  if (dir.empty()) return std::nullopt;
  auto ns = Number(Slurp(dir + "/cpuacct.usage"));
  if (!ns) return std::nullopt;
  return *ns / 1000;
}

std::optional<int64_t> Cgroup::TasksNow() const {
  const std::string dir = Dir("pids");
  if (dir.empty()) return std::nullopt;
  return Number(Slurp(dir + "/pids.current"));
}

std::vector<pid_t> Cgroup::Members() const {
  std::vector<pid_t> out;
  const std::string dir = !Dir("pids").empty() ? Dir("pids") : dirs_.begin()->second;
  std::istringstream in(Slurp(dir + "/cgroup.procs"));
  pid_t pid;
  while (in >> pid) out.push_back(pid);
  return out;
}

// v1 has no cgroup.kill, and freezing first would be a trap: a killer that
// dies between freeze and thaw (the lab, when proclab is SIGKILLed) leaves
// the group frozen, its SIGKILLs pending for ever. So members are killed in
// rounds until none is left; a fork racing a round is caught by the next
// (and by the tracer, which kills every child born during teardown).
Status Cgroup::KillAll() const {
  if (v2_ && WriteFile(Dir("") + "/cgroup.kill", "1").ok()) return {};
  for (int round = 0; round < 100; ++round) {
    const auto members = Members();
    if (members.empty()) break;
    for (pid_t pid : members) kill(pid, SIGKILL);
    Nap(2'000);
  }
  return {};
}

void Cgroup::Remove() const {
  for (const auto& [c, dir] : dirs_) rmdir(dir.c_str());
}

void RemoveStaleCgroups(const CgroupLayout& layout) {
  for (const auto& [controller, base] : layout.dirs) {
    DIR* d = opendir(base.c_str());
    if (!d) continue;
    std::vector<std::string> stale;
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.rfind("proclab-", 0) != 0) continue;
      const int pid = std::atoi(name.c_str() + 8);
      if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) stale.push_back(base + "/" + name);
    }
    closedir(d);
    for (const auto& dir : stale) {
      if (DIR* sub = opendir(dir.c_str())) {
        while (dirent* e = readdir(sub))
          if (e->d_type == DT_DIR && e->d_name[0] != '.') rmdir((dir + "/" + e->d_name).c_str());
        closedir(sub);
      }
      rmdir(dir.c_str());
    }
  }
}

}  // namespace proclab::os
