// Small process operations the lab performs on tracees.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "runner/base/error.h"

namespace proclab::os {

// kill(2); ESRCH is reported as false, other failures as errors.
Result<bool> SendSignal(pid_t pid, int sig);
// pidfd_open(2): a descriptor that names this one process (close-on-exec);
// -1 when the process is gone or the kernel has no pidfds.
int OpenPidfd(pid_t pid);
// pidfd_send_signal(2); ESRCH (the process has exited) is false.
Result<bool> SignalPidfd(int pidfd, int sig);
// True when no process (not even a zombie) has this pid any more.
bool ProcessGone(pid_t pid);
// The pid a pidfd held by `holder` (as descriptor `fd`) refers to, from
// /proc/HOLDER/fdinfo/FD; 0 when unknown.
pid_t PidfdTarget(pid_t holder, int fd);
// Wipes the environment this process was started with, where /proc/PID/environ
// reads it (the memory between env_start and env_end), and clears environ:
// a program that may read the lab's /proc entry (as root in its namespace)
// must not learn the caller's environment.
void ScrubOwnEnvironment();
// Lowers the calling process's nice value by `steps` (a higher priority)
// when it may (root, CAP_SYS_NICE or RLIMIT_NICE). Returns the nice value it
// had, or nullopt when it was left as it was.
std::optional<int> RaiseOwnPriority(int steps);
// The path of the running executable (/proc/self/exe); "" when unknown.
std::string OwnExecutable();

}  // namespace proclab::os
