// Pinning a run's group to CPUs. v1: cpuset.cpus of the slot's group (made
// with its parent's CPUs, cgroup.cc), set to the parent's again for a run
// that is not pinned (slots are reused). v2: cpuset.cpus, where "" means
// the parent's; the controller must have been delegated.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "runner/os/cgroup.h"
#include "runner/os/sys_error.h"

namespace proclab::os {
namespace {

std::string ReadLine(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  return line;
}

Status WriteText(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return SysError(fmt::format("open({})", path));
  const ssize_t n = write(fd, text.data(), text.size());
  const int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(text.size()))
    return SysError(fmt::format("write({}, \"{}\")", path, text), err);
  return {};
}

std::string List(const std::vector<int>& cpus) {
  std::string out;
  for (int c : cpus) out += (out.empty() ? "" : ",") + std::to_string(c);
  return out;
}

}  // namespace

Status Cgroup::SetCpus(const std::vector<int>& cpus) const {
  if (v2_) {
    const std::string dir = Dir("");
    if (dir.empty() || access((dir + "/cpuset.cpus").c_str(), W_OK) != 0)
      return Error("cgroup v2: the cpuset controller is not delegated to proclab's group");
    return WriteText(dir + "/cpuset.cpus", cpus.empty() ? "\n" : List(cpus));
  }
  const std::string dir = Dir("cpuset");
  if (dir.empty()) return Error("cgroup v1: no cpuset hierarchy proclab may write to");
  const std::string parent = dir.substr(0, dir.rfind('/'));
  return WriteText(dir + "/cpuset.cpus",
                   cpus.empty() ? ReadLine(parent + "/cpuset.cpus") : List(cpus));
}

}  // namespace proclab::os
