// lab.lock(), lab.event(), lab.semaphore(n): process-shared, with timeouts.
// A lock belongs to the process that acquired it (releasing another's is an
// error); one whose holder died is given to the next process that asks.
// A lock measures itself: each release records, in the timeline, how long
// its acquire waited and how long it was held (NAME_wait, NAME_hold, in
// seconds; NAME is lab.lock's argument, "lock" by default).
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "runner/lab/actor_calls.h"
#include "scripting/lab_library.h"
#include "scripting/lab_objects.h"
#include "scripting/shared_memory.h"

namespace proclab::lua {
namespace {

constexpr const char* kLock = "lab.Lock";
constexpr const char* kEvent = "lab.Event";
constexpr const char* kSemaphore = "lab.Semaphore";

// One shape for the three: a guard mutex (held briefly), a futex word that
// changes whenever the state does, and the state: the lock's owner pid, the
// event's flag, the semaphore's count. `generation` counts an event's sets,
// so a waiter wakes even when set() is followed at once by clear().
struct Sync {
  pthread_mutex_t mu;
  uint32_t changed;
  int64_t value;
  int64_t generation;
};

struct SyncUd {
  Sync* s = nullptr;
  // A lock's own, per process (userdata is copied by fork): what it
  // measures, and when this process asked for it and got it.
  char name[64];
  int64_t asked_ns, acquired_ns;
};

int64_t NowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

Sync* Check(lua_State* L, const char* meta) {
  auto* u = static_cast<SyncUd*>(luaL_checkudata(L, 1, meta));
  luaL_argcheck(L, u->s != nullptr, 1, "released");
  return u->s;
}

SyncUd* Ud(lua_State* L, const char* meta) {
  return static_cast<SyncUd*>(luaL_checkudata(L, 1, meta));
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
  u->name[0] = '\0';
  u->asked_ns = u->acquired_ns = 0;
  luaL_setmetatable(L, meta);
  auto* s = static_cast<Sync*>(MapShared(L, sizeof(Sync)));
  InitSharedMutex(&s->mu);
  s->value = value;
  u->s = s;
  RegisterObject(L, -1);
  return 1;
}

// lock:acquire([timeout]) -> true, or false when the timeout passed. The
// lock is held by a process; one whose holder died is free again.
int LockAcquire(lua_State* L) {
  Sync* s = Check(L, kLock);
  SyncUd* u = Ud(L, kLock);
  const int64_t asked = NowNs();
  const int64_t deadline = DeadlineFrom(L, 2);
  const pid_t me = getpid();
  SharedGuard g(&s->mu);
  if (s->value == me) return luaL_error(L, "lock:acquire: this process already holds the lock");
  // A holder that is gone, or dead and not yet reaped (a zombie), is no holder.
  auto free = [&] {
    if (s->value != 0) {
      if (!actor::Alive(static_cast<pid_t>(s->value))) s->value = 0;
    }
    return s->value == 0;
  };
  if (!g.WaitFor(L, &s->changed, deadline, free)) {
    lua_pushboolean(L, 0);
    return 1;
  }
  s->value = me;
  u->asked_ns = asked;
  u->acquired_ns = NowNs();
  lua_pushboolean(L, 1);
  return 1;
}

// Records the wait and the hold once the lock is free again, so that the
// call to the lab lengthens neither.
int LockRelease(lua_State* L) {
  Sync* s = Check(L, kLock);
  SyncUd* u = Ud(L, kLock);
  const int64_t released = NowNs();
  {
    SharedGuard g(&s->mu);
    if (s->value != getpid())
      return luaL_error(L, "lock:release: this process does not hold the lock");
    s->value = 0;
    WakeAll(&s->changed);
  }
  const std::string name = u->name;
  actor::Measure(name + "_wait", static_cast<double>(u->acquired_ns - u->asked_ns) / 1e9);
  actor::Measure(name + "_hold", static_cast<double>(released - u->acquired_ns) / 1e9);
  return 0;
}

// lab.lock([name]): NAME_wait and NAME_hold are the values it records.
int NewLock(lua_State* L) {
  const std::string name = luaL_optstring(L, 1, "lock");
  CheckMeasureName(L, 1, name);
  luaL_argcheck(L, name.size() < 58, 1, "the name is too long");
  New(L, kLock, "lab.lock", 0);
  auto* u = static_cast<SyncUd*>(lua_touserdata(L, -1));
  std::snprintf(u->name, sizeof u->name, "%s", name.c_str());
  return 1;
}

int EventSet(lua_State* L) {
  Sync* s = Check(L, kEvent);
  SharedGuard g(&s->mu);
  s->value = 1;
  ++s->generation;
  WakeAll(&s->changed);  // every waiter goes at once
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
  const int64_t seen = s->generation;
  lua_pushboolean(L, g.WaitFor(L, &s->changed, deadline,
                               [&] { return s->value != 0 || s->generation != seen; }));
  return 1;
}

int NewEvent(lua_State* L) { return New(L, kEvent, "lab.event", 0); }

int SemAcquire(lua_State* L) {
  Sync* s = Check(L, kSemaphore);
  const int64_t deadline = DeadlineFrom(L, 2);
  SharedGuard g(&s->mu);
  if (!g.WaitFor(L, &s->changed, deadline, [&] { return s->value > 0; })) {
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
  WakeAll(&s->changed);
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
  static const luaL_Reg lock[] = {
      {"acquire", LockAcquire}, {"release", LockRelease}, {nullptr, nullptr}};
  static const luaL_Reg event[] = {{"set", EventSet},
                                   {"clear", EventClear},
                                   {"is_set", EventIsSet},
                                   {"wait", EventWait},
                                   {nullptr, nullptr}};
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
