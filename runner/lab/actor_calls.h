// What code the lab put into a traced process — built-in actors here, Lua
// actors in scripting/ — may ask of the lab and of the kernel. The calls to
// the lab are hypercalls (os/hypercall.h): synchronous, answered by the
// supervisor while the caller waits in its seccomp stop.
#pragma once

#include <sys/types.h>

#include <string_view>

namespace proclab::actor {

// The caller's next child runs actor `name` (named before it exists, so no
// kill can beat the name to the timeline).
void NameNextChild(std::string_view name);
// Every process is snapshotted now; returns once the checkpoint is recorded.
void Checkpoint(std::string_view name);
// Records `value` under `name` in the timeline (a `value` event); returns
// once recorded.
void Measure(std::string_view name, double value);
// The newest pid called `name`, or -ESRCH.
long Resolve(std::string_view name);

// write(2) until all of `text` is written; EINTR is retried. False when the
// descriptor refused more bytes.
bool WriteAll(int fd, std::string_view text);

// Whether `pid` is alive: neither gone nor a zombie.
bool Alive(pid_t pid);

}  // namespace proclab::actor
