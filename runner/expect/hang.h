// A timeout in words a student can act on, from the snapshot the lab took
// before it killed (the `limit` event of kind "timeout"): what each live
// process was blocked in and since when, which had already exited, and a
// deadlock when the file locks show one (processes each waiting for a lock
// another of them holds). A timeline without the snapshot (written before
// it existed) gives no words: the callers keep their plain "timeout".
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "runner/scenario/names.h"
#include "runner/timeline/timeline.h"

namespace proclab::expect {

// The run's timeout event, or nullptr when it did not time out.
const Event* FindTimeout(const Timeline& t);

// "driver (pid 2) was in pause(), waiting for a signal, nothing seen from it
// since 1.200s; conductor (pid 3) had exited at 1.100s" — every process of
// the snapshot, deadlocks first, then the processes that had exited. With
// `only`, just those processes (and the deadlocks they are part of). Empty
// when the event has no snapshot.
std::string DescribeHang(const Names& names, const Event& timeout,
                         const std::vector<pid_t>& only = {});

// One process's part, without its name: "in pause(), waiting for a signal";
// nullopt when the snapshot does not have it.
std::optional<std::string> StuckPhrase(const Names& names, const Event& timeout, pid_t pid);

}  // namespace proclab::expect
