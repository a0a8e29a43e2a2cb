// Syscall numbers as names, for the calls a process can be blocked in. The
// table is built from <sys/syscall.h>, so it is right for the architecture
// proclab is built for (x86_64, aarch64): the lab refuses other ABIs.
#pragma once

#include <string>

namespace proclab::os {

// "pause", "wait4", "flock"; "syscall 512" for a number not in the table.
std::string SyscallName(long nr);

}  // namespace proclab::os
