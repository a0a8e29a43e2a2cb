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

// Wakes every process waiting on `seq` (after the state it guards changed).
void WakeAll(uint32_t* seq);

int64_t NowUs();
// An absolute deadline from an optional `timeout` (seconds) argument; -1 when
// there is none (wait for ever).
int64_t DeadlineFrom(lua_State* L, int arg);

// Holds a shared mutex (held only briefly, to look at or change state);
// waiting happens on a futex word with the mutex released.
class SharedGuard {
 public:
  SharedGuard(pthread_mutex_t* m);
  ~SharedGuard();
  SharedGuard(const SharedGuard&) = delete;
  SharedGuard& operator=(const SharedGuard&) = delete;
  // Waits until `ready()` holds (checked under the mutex) or the deadline
  // passes (returns false then). Sleeps on the futex `seq` — state S, as a
  // process blocked in a real queue or lock — and a signal wakes it at once
  // to run the Lua handlers, unlocked.
  template <class Ready>
  bool WaitFor(lua_State* L, uint32_t* seq, int64_t deadline_us, Ready ready) {
    while (!ready()) {
      if (deadline_us >= 0 && NowUs() >= deadline_us) return false;
      Sleep(L, seq, deadline_us);
    }
    return true;
  }

 private:
  void Lock();
  void Sleep(lua_State* L, uint32_t* seq, int64_t deadline_us);
  pthread_mutex_t* m_;
  bool locked_ = false;
};

}  // namespace proclab::lua
