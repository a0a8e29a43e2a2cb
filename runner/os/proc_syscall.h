// What a process is doing in the kernel: the syscall it is blocked in
// (/proc/PID/syscall) and the kernel function it sleeps in
// (/proc/PID/wchan). Read at a timeout, to say why a run hung. Both need
// ptrace access, which the lab has as every process's tracer.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace proclab::os {

struct BlockedCall {
  bool running = false;  // "running": on a CPU or ready to be; nothing else is known
  long nr = -1;          // the syscall; -1: blocked outside one (a page fault)
  std::array<uint64_t, 6> args{};
  std::string wchan;  // "" when /proc names none ("0")
};

// One /proc/PID/syscall text: "running", "-1 SP PC" or "NR A1 … A6 SP PC"
// (the arguments in hex). nullopt for anything else.
std::optional<BlockedCall> ParseSyscallLine(std::string_view text);

// Whether `call` is a wait that only a signal or another process can end:
// pause, sigsuspend, sigtimedwait and a futex wait without a timeout, wait4
// and waitid. (A pending alarm() or itimer would end one too; /proc shows
// neither.)
bool WaitsEndlessly(const BlockedCall& call);

// The main thread's call and wchan; nullopt when the process is gone or
// /proc refuses.
std::optional<BlockedCall> ReadBlockedCall(pid_t pid);

}  // namespace proclab::os
