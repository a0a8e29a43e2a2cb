// Process-shared state for lab objects (queues, locks, values…): anonymous
// shared memory, so every process forked after the object was made shares
// it. Mutexes are robust: a process killed while holding one does not
// deadlock the others.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <cstdint>

#include "scripting/lua_headers.h"

namespace proclab::lua {

// Zeroed shared memory, or a Lua error.
void* MapShared(lua_State* L, size_t bytes);
void UnmapShared(void* p, size_t bytes);
void InitSharedMutex(pthread_mutex_t* m);
void InitSharedCond(pthread_cond_t* c);  // waits measure CLOCK_MONOTONIC

int64_t NowUs();
// An absolute deadline from an optional `timeout` (seconds) argument; -1 when
// there is none (wait for ever).
int64_t DeadlineFrom(lua_State* L, int arg);

// Holds a shared mutex; the lock is dropped while signal handlers run.
class SharedGuard {
 public:
  SharedGuard(pthread_mutex_t* m);
  ~SharedGuard();
  SharedGuard(const SharedGuard&) = delete;
  SharedGuard& operator=(const SharedGuard&) = delete;
  // Waits on `cond` until `ready()` holds or the deadline passes (returns
  // false then). Wakes every 50ms to run Lua signal handlers, unlocked.
  template <class Ready>
  bool WaitFor(lua_State* L, pthread_cond_t* cond, int64_t deadline_us, Ready ready) {
    while (!ready()) {
      if (deadline_us >= 0 && NowUs() >= deadline_us) return false;
      WaitSlice(L, cond, deadline_us);
    }
    return true;
  }

 private:
  void Lock();
  void WaitSlice(lua_State* L, pthread_cond_t* cond, int64_t deadline_us);
  pthread_mutex_t* m_;
  bool locked_ = false;
};

}  // namespace proclab::lua
