// lab.lock(), lab.event(), lab.semaphore(n): process-shared, with timeouts.
// A lock belongs to the process that acquired it (releasing another's is an
// error, as with pthread error-checking mutexes); one whose holder died is
// given to the next process that asks.
#include <errno.h>
#include <time.h>

#include <algorithm>
#include <cstring>

#include "scripting/lab_library.h"
#include "scripting/lab_objects.h"
#include "scripting/shared_memory.h"

namespace proclab::lua {
namespace {

constexpr const char* kLock = "lab.Lock";
constexpr const char* kEvent = "lab.Event";
constexpr const char* kSemaphore = "lab.Semaphore";

// One shape for the three: a mutex, a condition, a counter.
struct Sync {
  pthread_mutex_t mu;   // the lock itself (lab.lock), or the state's guard
  pthread_cond_t cond;
  int64_t value;        // event: set or not; semaphore: the count
};

struct SyncUd {
  Sync* s = nullptr;
};

Sync* Check(lua_State* L, const char* meta) {
  auto* u = static_cast<SyncUd*>(luaL_checkudata(L, 1, meta));
  luaL_argcheck(L, u->s != nullptr, 1, "released");
  return u->s;
}

int Release(lua_State* L) {
  auto* u = static_cast<SyncUd*>(lua_touserdata(L, 1));
  if (u && u->s) UnmapShared(u->s, sizeof(Sync));
  if (u) u->s = nullptr;
  return 0;
}

int New(lua_State* L, const char* meta, const char* what, int64_t value) {
  RequireActor(L, what);
  auto* u = static_cast<SyncUd*>(lua_newuserdatauv(L, sizeof(SyncUd), 0));
  u->s = nullptr;
  luaL_setmetatable(L, meta);
  auto* s = static_cast<Sync*>(MapShared(L, sizeof(Sync)));
  InitSharedMutex(&s->mu);
  InitSharedCond(&s->cond);
  s->value = value;
  u->s = s;
  RegisterObject(L, -1);
  return 1;
}

// lock:acquire([timeout]) -> true, or false when the timeout passed.
// Tries in 50ms slices so signal handlers run while it waits.
int LockAcquire(lua_State* L) {
  Sync* s = Check(L, kLock);
  const int64_t deadline = DeadlineFrom(L, 2);
  for (;;) {
    int64_t until = NowUs() + 50'000;
    if (deadline >= 0) until = std::min(until, deadline);
    timespec ts{static_cast<time_t>(until / 1000000), static_cast<long>((until % 1000000) * 1000)};
    int r = pthread_mutex_clocklock(&s->mu, CLOCK_MONOTONIC, &ts);
    if (r == 0 || r == EOWNERDEAD) {
      if (r == EOWNERDEAD) pthread_mutex_consistent(&s->mu);
      lua_pushboolean(L, 1);
      return 1;
    }
    if (r == EDEADLK) return luaL_error(L, "lock:acquire: this process already holds the lock");
    if (SignalsPending()) RunPendingHandlers(L);
    if (deadline >= 0 && NowUs() >= deadline) {
      lua_pushboolean(L, 0);
      return 1;
    }
  }
}

int LockRelease(lua_State* L) {
  Sync* s = Check(L, kLock);
  if (pthread_mutex_unlock(&s->mu) != 0) return luaL_error(L, "lock:release: this process does not hold the lock");
  return 0;
}

int NewLock(lua_State* L) { return New(L, kLock, "lab.lock", 0); }

int EventSet(lua_State* L) {
  Sync* s = Check(L, kEvent);
  SharedGuard g(&s->mu);
  s->value = 1;
  pthread_cond_broadcast(&s->cond);  // every waiter goes at once
  return 0;
}

int EventClear(lua_State* L) {
  Sync* s = Check(L, kEvent);
  SharedGuard g(&s->mu);
  s->value = 0;
  return 0;
}

int EventIsSet(lua_State* L) {
  Sync* s = Check(L, kEvent);
  SharedGuard g(&s->mu);
  lua_pushboolean(L, s->value != 0);
  return 1;
}

int EventWait(lua_State* L) {
  Sync* s = Check(L, kEvent);
  const int64_t deadline = DeadlineFrom(L, 2);
  SharedGuard g(&s->mu);
  lua_pushboolean(L, g.WaitFor(L, &s->cond, deadline, [&] { return s->value != 0; }));
  return 1;
}

int NewEvent(lua_State* L) { return New(L, kEvent, "lab.event", 0); }

int SemAcquire(lua_State* L) {
  Sync* s = Check(L, kSemaphore);
  const int64_t deadline = DeadlineFrom(L, 2);
  SharedGuard g(&s->mu);
  if (!g.WaitFor(L, &s->cond, deadline, [&] { return s->value > 0; })) {
    lua_pushboolean(L, 0);
    return 1;
  }
  --s->value;
  lua_pushboolean(L, 1);
  return 1;
}

int SemRelease(lua_State* L) {
  Sync* s = Check(L, kSemaphore);
  SharedGuard g(&s->mu);
  ++s->value;
  pthread_cond_signal(&s->cond);
  return 0;
}

int SemValue(lua_State* L) {
  Sync* s = Check(L, kSemaphore);
  SharedGuard g(&s->mu);
  lua_pushinteger(L, s->value);
  return 1;
}

int NewSemaphore(lua_State* L) {
  const lua_Integer n = luaL_optinteger(L, 1, 1);
  luaL_argcheck(L, n >= 0, 1, "a semaphore starts at 0 or more");
  return New(L, kSemaphore, "lab.semaphore", n);
}

void Meta(lua_State* L, const char* name, const luaL_Reg* methods) {
  if (luaL_newmetatable(L, name)) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, Release);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
}

}  // namespace

void OpenSyncFunctions(lua_State* L) {
  static const luaL_Reg lock[] = {{"acquire", LockAcquire}, {"release", LockRelease}, {nullptr, nullptr}};
  static const luaL_Reg event[] = {
      {"set", EventSet}, {"clear", EventClear}, {"is_set", EventIsSet}, {"wait", EventWait}, {nullptr, nullptr}};
  static const luaL_Reg sem[] = {
      {"acquire", SemAcquire}, {"release", SemRelease}, {"value", SemValue}, {nullptr, nullptr}};
  Meta(L, kLock, lock);
  Meta(L, kEvent, event);
  Meta(L, kSemaphore, sem);
  lua_pushcfunction(L, NewLock);
  lua_setfield(L, -2, "lock");
  lua_pushcfunction(L, NewEvent);
  lua_setfield(L, -2, "event");
  lua_pushcfunction(L, NewSemaphore);
  lua_setfield(L, -2, "semaphore");
}

}  // namespace proclab::lua
