// Where a process was when its run timed out, in words, from the snapshot
// the lab took before it killed (ProcessSnapshot's timeout fields). Shared by
// the trace text, which names processes by pid, and the explanations, which
// name them by role.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "runner/timeline/event.h"

namespace proclab {

// What a descriptor's /proc target is: "a pipe", "the terminal", "a socket",
// or the path itself.
std::string FileText(const std::string& target);

// A lock in a few words: "a write lock (flock) on /tmp/a".
std::string LockText(const FileLock& lock);

// "in pause(), waiting for a signal", "in read() on a pipe (fd 0), whose write
// end 2 still held open", "in flock() for a write lock (flock) on /tmp/b, held
// by 4", "running", "stopped". `label` names other processes.
std::string DescribeStuck(const ProcessSnapshot& s, const std::function<std::string(pid_t)>& label);

// Whether the process was blocked waiting (not running, stopped or a zombie).
bool Blocked(const ProcessSnapshot& s);

}  // namespace proclab
