#include "scripting/shared_memory.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "runner/base/clock.h"
#include "scripting/lab_library.h"

namespace proclab::lua {

void* MapShared(lua_State* L, size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    luaL_error(L, "cannot map %d bytes of shared memory: %s", static_cast<int>(bytes),
               strerror(errno));
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

void WakeAll(uint32_t* seq) {
  __atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
  syscall(SYS_futex, seq, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
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

void SharedGuard::Sleep(lua_State* L, uint32_t* seq, int64_t deadline_us) {
  // Read the word under the mutex: a change after this makes the futex wait
  // return at once, so no wake-up is lost.
  const uint32_t seen = __atomic_load_n(seq, __ATOMIC_SEQ_CST);
  SetWaitingOn(seq);  // a signal from here on bumps `seq`: the wait below returns at once
  pthread_mutex_unlock(m_);
  locked_ = false;
  if (SignalsPending()) {  // arrived before we could be woken for it
    SetWaitingOn(nullptr);
    RunPendingHandlers(L);
    Lock();
    return;
  }
  // Wake at least every second to notice a waker that died mid-change.
  int64_t left = 1'000'000;
  if (deadline_us >= 0) left = std::min(left, std::max<int64_t>(0, deadline_us - NowUs()));
  timespec ts{static_cast<time_t>(left / 1000000), static_cast<long>((left % 1000000) * 1000)};
  syscall(SYS_futex, seq, FUTEX_WAIT, seen, &ts, nullptr, 0);  // EINTR on a signal
  SetWaitingOn(nullptr);
  if (SignalsPending()) RunPendingHandlers(L);  // may raise: the guard is unlocked now
  Lock();
}

}  // namespace proclab::lua
