// lab.queue(maxsize): multiprocessing.Queue on shared memory. put blocks
// while the queue holds maxsize items (0: no limit but its memory), get
// while it is empty; both take {block=, timeout=}.
#include <cstdint>
#include <cstring>
#include <string>

#include "scripting/lab_library.h"
#include "scripting/lab_objects.h"
#include "scripting/lab_queue.h"
#include "scripting/lab_serialize.h"
#include "scripting/shared_memory.h"

namespace proclab::lua {

struct Ring {
  pthread_mutex_t mu;
  uint32_t changed;  // futex word: bumped on every put and get
  int64_t maxsize;
  int64_t count;
  uint64_t head;  // where the oldest item starts
  uint64_t used;  // bytes in use, frames included
  uint64_t capacity;
  char data[];
};

namespace {

constexpr const char* kQueue = "lab.Queue";
constexpr uint64_t kCapacity = 1 << 20;  // bytes of items a queue can hold at once

void Copy(Ring* r, uint64_t at, const void* src, size_t n) {
  const uint64_t first = std::min<uint64_t>(n, r->capacity - at % r->capacity);
  std::memcpy(r->data + at % r->capacity, src, first);
  std::memcpy(r->data, static_cast<const char*>(src) + first, n - first);
}

void CopyOut(const Ring* r, uint64_t at, void* dst, size_t n) {
  const uint64_t first = std::min<uint64_t>(n, r->capacity - at % r->capacity);
  std::memcpy(dst, r->data + at % r->capacity, first);
  std::memcpy(static_cast<char*>(dst) + first, r->data, n - first);
}

struct QueueUd {
  Ring* ring = nullptr;  // nullptr once released
};

Ring* CheckQueue(lua_State* L, int arg = 1) {
  auto* q = static_cast<QueueUd*>(luaL_checkudata(L, arg, kQueue));
  luaL_argcheck(L, q->ring != nullptr, arg, "the queue is gone");
  return q->ring;
}

}  // namespace

Ring* PushNewQueue(lua_State* L, int64_t maxsize) {
  auto* q = static_cast<QueueUd*>(lua_newuserdatauv(L, sizeof(QueueUd), 0));
  q->ring = nullptr;
  luaL_setmetatable(L, kQueue);
  auto* r = static_cast<Ring*>(MapShared(L, sizeof(Ring) + kCapacity));
  InitSharedMutex(&r->mu);
  r->maxsize = maxsize;
  r->capacity = kCapacity;
  q->ring = r;
  RegisterObject(L, -1);
  return r;
}

Ring* QueueOf(lua_State* L, int index) { return CheckQueue(L, index); }

bool QueuePush(lua_State* L, Ring* r, const std::string& bytes, bool block, int64_t deadline) {
  const uint64_t need = sizeof(uint32_t) + bytes.size();
  if (need > r->capacity)
    luaL_error(L, "queue:put: the item (%d bytes) is larger than a queue can hold",
               static_cast<int>(bytes.size()));
  SharedGuard g(&r->mu);
  auto room = [&] {
    return (r->maxsize == 0 || r->count < r->maxsize) && r->capacity - r->used >= need;
  };
  if (!room() && (!block || !g.WaitFor(L, &r->changed, deadline, room))) return false;
  const uint32_t len = static_cast<uint32_t>(bytes.size());
  const uint64_t tail = r->head + r->used;
  Copy(r, tail, &len, sizeof len);
  Copy(r, tail + sizeof len, bytes.data(), bytes.size());
  r->used += need;
  ++r->count;
  WakeAll(&r->changed);
  return true;
}

bool QueuePop(lua_State* L, Ring* r, std::string* bytes, bool block, int64_t deadline) {
  SharedGuard g(&r->mu);
  auto some = [&] { return r->count > 0; };
  if (!some() && (!block || !g.WaitFor(L, &r->changed, deadline, some))) return false;
  uint32_t len = 0;
  CopyOut(r, r->head, &len, sizeof len);
  // A process killed while changing the queue can leave it inconsistent.
  if (r->used < sizeof len || len > r->used - sizeof len)
    luaL_error(L, "the queue is corrupted (a process died while changing it)");
  bytes->resize(len);
  CopyOut(r, r->head + sizeof len, bytes->data(), len);
  r->head = (r->head + sizeof len + len) % r->capacity;
  r->used -= sizeof len + len;
  --r->count;
  WakeAll(&r->changed);
  return true;
}

namespace {

// {block=true, timeout=nil} as Python's put/get take them.
void Options(lua_State* L, int arg, bool* block, int64_t* deadline) {
  *block = true;
  *deadline = -1;
  if (lua_isnumber(L, arg)) {  // q:get(0.5) means a timeout, as in Python
    *deadline = DeadlineFrom(L, arg);
    return;
  }
  if (!lua_isnoneornil(L, arg)) luaL_checktype(L, arg, LUA_TTABLE);
  if (!lua_istable(L, arg)) return;
  lua_getfield(L, arg, "block");
  if (!lua_isnil(L, -1)) *block = lua_toboolean(L, -1);
  lua_getfield(L, arg, "timeout");
  const int top = lua_gettop(L);
  if (!lua_isnil(L, top)) *deadline = DeadlineFrom(L, top);
  lua_pop(L, 2);
}

int Put(lua_State* L) {
  Ring* r = CheckQueue(L);
  luaL_checkany(L, 2);
  bool block;
  int64_t deadline;
  Options(L, 3, &block, &deadline);
  std::string bytes = EncodeOrRaise(L, 2, "queue:put");
  if (!QueuePush(L, r, bytes, block, deadline)) {
    lua_pushnil(L);
    lua_pushliteral(L, "full");
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

int Get(lua_State* L) {
  Ring* r = CheckQueue(L);
  bool block;
  int64_t deadline;
  Options(L, 2, &block, &deadline);
  std::string bytes;
  if (!QueuePop(L, r, &bytes, block, deadline)) {
    lua_pushnil(L);
    lua_pushliteral(L, "empty");
    return 2;
  }
  if (!Decode(L, bytes)) return luaL_error(L, "queue:get: a malformed item");
  return 1;
}

int Count(Ring* r) {
  SharedGuard g(&r->mu);
  return static_cast<int>(r->count);
}

int Qsize(lua_State* L) {
  lua_pushinteger(L, Count(CheckQueue(L)));
  return 1;
}

int Empty(lua_State* L) {
  lua_pushboolean(L, Count(CheckQueue(L)) == 0);
  return 1;
}

int Full(lua_State* L) {
  Ring* r = CheckQueue(L);
  lua_pushboolean(L, r->maxsize > 0 && Count(r) >= r->maxsize);
  return 1;
}

int QueueRelease(lua_State* L) {
  auto* q = static_cast<QueueUd*>(luaL_checkudata(L, 1, kQueue));
  if (q->ring) UnmapShared(q->ring, sizeof(Ring) + q->ring->capacity);
  q->ring = nullptr;
  return 0;
}

int NewQueue(lua_State* L) {
  RequireActor(L, "lab.queue");
  const lua_Integer maxsize = luaL_optinteger(L, 1, 0);
  luaL_argcheck(L, maxsize >= 0, 1, "maxsize cannot be negative");
  PushNewQueue(L, maxsize);
  return 1;
}

}  // namespace

void OpenQueueFunctions(lua_State* L) {
  if (luaL_newmetatable(L, kQueue)) {
    static const luaL_Reg methods[] = {
        {"put", Put},     {"get", Get},   {"qsize", Qsize},
        {"empty", Empty}, {"full", Full}, {nullptr, nullptr},
    };
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, QueueRelease);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, NewQueue);
  lua_setfield(L, -2, "queue");
}

}  // namespace proclab::lua
