// The interpreter of built-in actors. It runs inside a forked, traced process
// (never in the lab), executing an actor's actions in order with the plain
// Unix calls they name: fork, kill, waitpid, pause, alarm…
//
// Signal handlers written as `signal: {SIGUSR1: [actions]}` run the way
// Python runs its handlers: the kernel-level handler only notes the signal;
// its actions run at the next safe point — between two actions, or at once
// when the actor is sleeping, pausing or waiting, since those calls return
// early with EINTR. A real handler is installed, so the signal's outcome is
// "handled", and the actions never run inside an async-signal context.
#pragma once

#include "runner/scenario/scenario.h"

namespace proclab {

// Runs `actor` of `s` and returns its exit status (0 when its actions end).
int RunBuiltinActor(const Scenario& s, const Actor& actor);

}  // namespace proclab
