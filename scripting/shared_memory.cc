#include "scripting/shared_memory.h"

#include <errno.h>
#include <sys/mman.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "runner/base/clock.h"
#include "scripting/lab_library.h"

namespace proclab::lua {

void* MapShared(lua_State* L, size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) luaL_error(L, "cannot map %d bytes of shared memory: %s", static_cast<int>(bytes), strerror(errno));
  return p;
}

void UnmapShared(void* p, size_t bytes) {
  if (p) munmap(p, bytes);
}

void InitSharedMutex(pthread_mutex_t* m) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(m, &a);
  pthread_mutexattr_destroy(&a);
}

void InitSharedCond(pthread_cond_t* c) {
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_init(c, &a);
  pthread_condattr_destroy(&a);
}

int64_t NowUs() { return MonotonicUs(); }

int64_t DeadlineFrom(lua_State* L, int arg) {
  if (lua_isnoneornil(L, arg)) return -1;
  const double seconds = luaL_checknumber(L, arg);
  if (seconds < 0 || !std::isfinite(seconds)) luaL_argerror(L, arg, "a timeout in seconds");
  return NowUs() + static_cast<int64_t>(seconds * 1e6);
}

SharedGuard::SharedGuard(pthread_mutex_t* m) : m_(m) { Lock(); }

SharedGuard::~SharedGuard() {
  if (locked_) pthread_mutex_unlock(m_);
}

void SharedGuard::Lock() {
  // A holder that died leaves the state as it was; mark it usable again.
  if (pthread_mutex_lock(m_) == EOWNERDEAD) pthread_mutex_consistent(m_);
  locked_ = true;
}

void SharedGuard::WaitSlice(lua_State* L, pthread_cond_t* cond, int64_t deadline_us) {
  int64_t until = NowUs() + 50'000;
  if (deadline_us >= 0) until = std::min(until, deadline_us);
  timespec ts{static_cast<time_t>(until / 1000000), static_cast<long>((until % 1000000) * 1000)};
  if (pthread_cond_timedwait(cond, m_, &ts) == EOWNERDEAD) pthread_mutex_consistent(m_);
  if (SignalsPending()) {
    pthread_mutex_unlock(m_);
    locked_ = false;
    RunPendingHandlers(L);  // may raise: the guard is unlocked then
    Lock();
  }
}

}  // namespace proclab::lua
