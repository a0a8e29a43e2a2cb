// The `lab` library Lua actors use: the Unix and Python-multiprocessing
// vocabulary, on real processes (docs/lua.md documents every function).
//
// Everything that makes or touches processes works only inside an actor —
// code the lab runs in a forked, traced process — so that a scenario file
// merely being loaded (by `proclab check`, say) forks nothing, and every run
// gets shared objects of its own.
#pragma once

#include <cstdint>
#include <string>

#include "scripting/lua_headers.h"

namespace proclab::lua {

// Installs the `lab` global (functions refuse to run outside an actor).
void OpenLabLibrary(lua_State* L);

// Makes the calling (forked) process actor `name`: lab functions work,
// print writes whole lines to stdout, signal handlers run at safe points.
void EnterActor(lua_State* L, const std::string& name);

// Calls the function on top of the stack as an actor's body and returns the
// exit status: an integer result as it is, true/nil as 0, false as 1; an
// error prints its traceback on stderr and gives 1.
int RunActorFunction(lua_State* L);

// --- for the library's own files ---

// Raises a Lua error unless the caller runs inside an actor.
void RequireActor(lua_State* L, const char* what);
// Runs the Lua handlers of signals that arrived since the last safe point.
void RunPendingHandlers(lua_State* L);
bool SignalsPending();
void ResetPendingSignals();
// Signal handlers reach the running Lua thread (coroutines included): once
// per actor, wraps coroutine.resume/wrap so they keep track of it.
void TrackRunningThread(lua_State* L);
// The thread running now is `L` (in a child forked from any thread: from a
// coroutine or a handler, the child goes on running on that thread).
void SetRunningThread(lua_State* L);
// The futex word a blocking call is about to sleep on (nullptr: none): a
// signal bumps and wakes it, so the handler runs without delay.
void SetWaitingOn(uint32_t* word);
// The current actor's name and the next child's default name (NAME.N).
std::string ActorName(lua_State* L);
std::string NextChildName(lua_State* L);
// Before fork, in the parent: tells the lab the next child runs `name`.
void NameNextChild(const std::string& name);
// After fork, in the child: a fresh actor with `name`.
void BecomeChild(lua_State* L, const std::string& name);

// A signal given as "SIGUSR1", "USR1" or a number.
int CheckSignal(lua_State* L, int arg);

void OpenProcessFunctions(lua_State* L);  // lab_processes.cc
void OpenSignalFunctions(lua_State* L);   // lab_signals.cc
void OpenPipeFunctions(lua_State* L);     // lab_pipe.cc
void OpenQueueFunctions(lua_State* L);    // lab_queue.cc
void OpenMeasureFunctions(lua_State* L);  // lab_measure.cc
// Raises a Lua error unless `name` can name a measured value (lab_measure.cc).
void CheckMeasureName(lua_State* L, int arg, const std::string& name);
void OpenSharedFunctions(lua_State* L);  // lab_shared.cc
void OpenSyncFunctions(lua_State* L);    // lab_sync.cc
void OpenPoolFunctions(lua_State* L);    // lab_pool.cc

}  // namespace proclab::lua
