#include "runner/os/proc_syscall.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {

std::optional<std::string> ReadSmall(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  char buf[512];
  ssize_t n = read(fd.get(), buf, sizeof buf - 1);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

std::optional<BlockedCall> ParseSyscallLine(std::string_view text) {
  BlockedCall call;
  std::istringstream in{std::string(text)};
  std::string word;
  if (!(in >> word)) return std::nullopt;
  if (word == "running") {
    call.running = true;
    return call;
  }
  char* end = nullptr;
  call.nr = std::strtol(word.c_str(), &end, 10);
  if (end == word.c_str() || *end) return std::nullopt;
  if (call.nr < 0) return call;  // "-1 SP PC": in the kernel, not in a syscall
  for (auto& arg : call.args) {
    if (!(in >> word)) return std::nullopt;
    arg = std::strtoull(word.c_str(), nullptr, 16);
  }
  return call;
}

bool WaitsEndlessly(const BlockedCall& call) {
  if (call.running) return false;
  switch (call.nr) {
#ifdef SYS_pause  // aarch64 has none: glibc's pause() is ppoll there
    case SYS_pause:
#endif
    case SYS_rt_sigsuspend:
    case SYS_wait4:
    case SYS_waitid: return true;
    case SYS_rt_sigtimedwait: return call.args[2] == 0;  // no timeout
    case SYS_futex: {
      const uint64_t op =
          call.args[1] & ~static_cast<uint64_t>(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
      return (op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET) && call.args[3] == 0;
    }
    default: return false;
  }
}

std::optional<BlockedCall> ReadBlockedCall(pid_t pid) {
  auto text = ReadSmall(fmt::format("/proc/{}/syscall", pid));
  if (!text) return std::nullopt;
  auto call = ParseSyscallLine(*text);
  if (!call) return std::nullopt;
  if (auto wchan = ReadSmall(fmt::format("/proc/{}/wchan", pid)); wchan && *wchan != "0") {
    while (!wchan->empty() && (wchan->back() == '\n' || wchan->back() == ' ')) wchan->pop_back();
    call->wchan = *wchan;
  }
  return call;
}

}  // namespace proclab::os
