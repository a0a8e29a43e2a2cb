// lab.pool(n): multiprocessing.Pool. n worker processes are forked at once
// and take tasks from a shared queue; results come back through another.
//
// A task's function reaches a worker as bytecode, whatever the worker
// already knew: its _ENV is rebound to the worker's globals, its other
// upvalues are copied when they are plain values, or found again when they
// are lab objects (queues, values, locks…) made before the pool forked.
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "runner/lab/actor_calls.h"
#include "scripting/lab_library.h"
#include "scripting/lab_objects.h"
#include "scripting/lab_queue.h"
#include "scripting/lab_serialize.h"
#include "scripting/lua_state.h"
#include "scripting/shared_memory.h"

namespace proclab::lua {
namespace {

constexpr const char* kPool = "lab.Pool";
constexpr const char* kHandle = "lab.AsyncResult";

constexpr int kMaxWorkers = 64;

// Created closed and empty, so a pool whose making failed halfway (no
// memory for a queue, a fork refused) is still one its finaliser can handle.
struct Pool {
  Ring* tasks = nullptr;
  Ring* results = nullptr;
  int64_t next_id = 0;
  bool closed = true;
  pid_t owner = 0;  // the process that forked the workers: only it stops them
  int workers = 0;
  pid_t pids[kMaxWorkers];
};
// Uservalues of a pool: 1 tasks queue, 2 results queue, 3 results received early.

Pool* CheckPool(lua_State* L, int arg = 1) {
  return static_cast<Pool*>(luaL_checkudata(L, arg, kPool));
}

int Writer(lua_State*, const void* p, size_t n, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), n);
  return 0;
}

// The task {id, code, up, args} for the function at `fn` and args fn+1..top.
std::string EncodeTask(lua_State* L, int fn, int64_t id) {
  luaL_checktype(L, fn, LUA_TFUNCTION);
  if (lua_iscfunction(L, fn)) luaL_error(L, "a pool task must be a Lua function");
  const int top = lua_gettop(L);
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, id);
  lua_setfield(L, -2, "id");
  std::string code;
  lua_pushvalue(L, fn);
  lua_dump(L, Writer, &code, 0);
  lua_pop(L, 1);
  lua_pushlstring(L, code.data(), code.size());
  lua_setfield(L, -2, "code");
  lua_newtable(L);  // up
  for (int i = 1;; ++i) {
    const char* name = lua_getupvalue(L, fn, i);
    if (!name) break;
    lua_newtable(L);
    if (strcmp(name, "_ENV") == 0) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "env");
    } else if (lua_type(L, -2) == LUA_TUSERDATA) {
      const lua_Integer handle = ObjectHandle(L, -2);
      if (!handle) luaL_error(L, "the task's upvalue '%s' cannot be sent to a worker", name);
      lua_pushinteger(L, handle);
      lua_setfield(L, -2, "object");
    } else {
      std::string why, probe;
      if (!Encode(L, -2, &probe, &why))
        luaL_error(L,
                   "the task's upvalue '%s' cannot be sent to a worker: %s (make it global, or "
                   "pass it as an argument)",
                   name, why.c_str());
      lua_pushvalue(L, -2);
      lua_setfield(L, -2, "value");
    }
    lua_rawseti(L, -3, i);
    lua_pop(L, 1);  // the upvalue
  }
  lua_setfield(L, -2, "up");
  lua_createtable(L, top - fn, 0);
  for (int i = fn + 1; i <= top; ++i) {
    lua_pushvalue(L, i);
    lua_rawseti(L, -2, i - fn);
  }
  lua_setfield(L, -2, "args");
  std::string bytes = EncodeOrRaise(L, -1, "pool task");
  lua_settop(L, top);
  return bytes;
}

// Runs one decoded task (table on top) and pushes its result table.
void RunTask(lua_State* L) {
  const int task = lua_gettop(L);
  lua_createtable(L, 0, 3);
  const int result = lua_gettop(L);
  lua_getfield(L, task, "id");
  lua_setfield(L, result, "id");
  size_t len = 0;
  lua_getfield(L, task, "code");
  const char* code = lua_tolstring(L, -1, &len);
  if (luaL_loadbufferx(L, code, len, "=pool task", "b") != LUA_OK) {
    lua_setfield(L, result, "err");
    lua_settop(L, result);
    return;
  }
  const int fn = lua_gettop(L);
  lua_getfield(L, task, "up");
  for (lua_Integer i = 1; i <= static_cast<lua_Integer>(lua_rawlen(L, -1)); ++i) {
    lua_rawgeti(L, -1, i);
    if (lua_getfield(L, -1, "env") != LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushglobaltable(L);
    } else if (lua_pop(L, 1), lua_getfield(L, -1, "object") != LUA_TNIL) {
      const lua_Integer handle = lua_tointeger(L, -1);
      lua_pop(L, 1);
      if (!PushObject(L, handle)) {
        lua_pushliteral(L,
                        "the task uses a lab object made after the pool's workers were forked: "
                        "make it before lab.pool");
        lua_setfield(L, result, "err");
        lua_settop(L, result);
        return;
      }
    } else {
      lua_pop(L, 1);
      lua_getfield(L, -1, "value");
    }
    lua_setupvalue(L, fn, static_cast<int>(i));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_getfield(L, task, "args");
  const int args = lua_gettop(L);
  const int nargs = static_cast<int>(lua_rawlen(L, args));
  if (!lua_checkstack(L, nargs + 4)) {
    lua_pushliteral(L, "a pool task cannot take that many arguments");
    lua_setfield(L, result, "err");
    lua_settop(L, result);
    return;
  }
  const int base = lua_gettop(L);
  lua_pushvalue(L, fn);
  for (int i = 1; i <= nargs; ++i) lua_rawgeti(L, args, i);
  if (auto failed = Call(L, nargs, LUA_MULTRET)) {
    const std::string err = failed->Describe() + "\n" + failed->traceback;
    lua_pushlstring(L, err.data(), err.size());
    lua_setfield(L, result, "err");
  } else {
    const int nres = lua_gettop(L) - base;
    lua_createtable(L, nres, 1);
    for (int i = 1; i <= nres; ++i) {
      lua_pushvalue(L, base + i);
      lua_rawseti(L, -2, i);
    }
    lua_pushinteger(L, nres);
    lua_setfield(L, -2, "n");
    lua_setfield(L, result, "values");
  }
  lua_settop(L, result);
}

// One task: take it, run it, send back its result. Runs protected: an error
// here (a result too large, a signal handler that raises) must end this
// worker, not unwind into the parent's Lua frames the fork copied.
int WorkerStep(lua_State* L) {
  Ring* tasks = static_cast<Ring*>(lua_touserdata(L, 1));
  Ring* results = static_cast<Ring*>(lua_touserdata(L, 2));
  lua_settop(L, 0);
  std::string bytes;
  QueuePop(L, tasks, &bytes, true, -1);
  if (!Decode(L, bytes)) return luaL_error(L, "a malformed task");
  lua_getfield(L, -1, "stop");
  const bool stop = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (stop) {
    lua_pushboolean(L, 1);
    return 1;
  }
  RunTask(L);
  std::string out, why;
  if (!Encode(L, -1, &out, &why) ||
      out.size() > (512 << 10)) {  // an unsendable result becomes an error
    if (why.empty()) why = "it is larger than the result queue can carry";
    lua_createtable(L, 0, 2);
    lua_getfield(L, -2, "id");
    lua_setfield(L, -2, "id");
    lua_pushfstring(L, "the task's result cannot be sent back: %s", why.c_str());
    lua_setfield(L, -2, "err");
    Encode(L, -1, &out, &why);
  }
  QueuePush(L, results, out, true, -1);
  lua_pushboolean(L, 0);
  return 1;
}

// Runs in the worker, inside lab.pool's own frame: what lies below the top
// (the pool and its queues) must stay referenced, or the collector would
// unmap the queues under us.
[[noreturn]] void WorkerLoop(lua_State* L, Ring* tasks, Ring* results) {
  const int base = lua_gettop(L);
  for (;;) {
    lua_pushcfunction(L, WorkerStep);
    lua_pushlightuserdata(L, tasks);
    lua_pushlightuserdata(L, results);
    if (auto failed = Call(L, 2, 1)) {
      actor::WriteAll(2, fmt::format("{}: pool worker: {}\n{}\n", ActorName(L), failed->Describe(),
                                     failed->traceback));
      _exit(1);
    }
    if (lua_toboolean(L, -1)) _exit(0);
    lua_settop(L, base);
  }
}

// Stops every worker at once and reaps it: what pool:terminate() and the
// finaliser do, and what a pool whose making failed does to the workers it
// had already forked.
void StopWorkers(Pool* p) {
  if (p->owner != getpid()) return;  // a forked copy of the pool: not ours
  for (int i = 0; i < p->workers; ++i) {
    if (p->pids[i] <= 0) continue;
    kill(p->pids[i], SIGKILL);
    while (waitpid(p->pids[i], nullptr, 0) < 0 && errno == EINTR) {
    }
    p->pids[i] = 0;
  }
  p->closed = true;
}

int NewPool(lua_State* L) {
  RequireActor(L, "lab.pool");
  const lua_Integer n = luaL_checkinteger(L, 1);
  luaL_argcheck(L, n >= 1 && n <= kMaxWorkers, 1,
                fmt::format("between 1 and {} workers", kMaxWorkers).c_str());
  auto* p = static_cast<Pool*>(lua_newuserdatauv(L, sizeof(Pool), 3));
  *p = Pool{};
  p->owner = getpid();
  luaL_setmetatable(L, kPool);
  const int ud = lua_gettop(L);
  p->tasks = PushNewQueue(L, 0);
  lua_setiuservalue(L, ud, 1);
  p->results = PushNewQueue(L, 0);
  lua_setiuservalue(L, ud, 2);
  lua_newtable(L);
  lua_setiuservalue(L, ud, 3);
  for (lua_Integer i = 0; i < n; ++i) {
    const std::string name = NextChildName(L);
    NameNextChild(name);
    pid_t pid = fork();
    if (pid < 0) {
      const int err = errno;
      StopWorkers(p);
      return luaL_error(L, "lab.pool: fork of worker %d: %s", static_cast<int>(i + 1),
                        strerror(err));
    }
    if (pid == 0) {
      BecomeChild(L, name);
      WorkerLoop(L, p->tasks, p->results);
    }
    p->pids[p->workers++] = pid;
  }
  p->closed = false;
  return 1;
}

void Submit(lua_State* L, int pool, const std::string& bytes);

int ApplyAsync(lua_State* L) {
  Pool* p = CheckPool(L);
  if (p->closed) return luaL_error(L, "pool:apply_async: the pool is closed");
  const int64_t id = ++p->next_id;
  std::string bytes = EncodeTask(L, 2, id);
  Submit(L, 1, bytes);
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "pool");
  lua_pushinteger(L, id);
  lua_setfield(L, -2, "id");
  luaL_setmetatable(L, kHandle);
  return 1;
}

// Moves one result from the results queue into the pool's table of results
// received early; false at the deadline.
bool CollectOne(lua_State* L, int pool, int64_t deadline) {
  Pool* p = CheckPool(L, pool);
  std::string bytes;
  if (!QueuePop(L, p->results, &bytes, true, deadline)) return false;
  if (!Decode(L, bytes)) luaL_error(L, "pool: a malformed result");
  lua_getfield(L, -1, "id");
  const lua_Integer got = lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_getiuservalue(L, pool, 3);
  lua_insert(L, -2);
  lua_rawseti(L, -2, got);
  lua_pop(L, 1);
  return true;
}

// Pushes the result table of task `id`, waiting for it; false at the deadline.
bool AwaitResult(lua_State* L, int pool, int64_t id, int64_t deadline) {
  for (;;) {
    lua_getiuservalue(L, pool, 3);
    if (lua_rawgeti(L, -1, id) != LUA_TNIL) {
      lua_pushnil(L);
      lua_rawseti(L, -3, id);
      lua_remove(L, -2);
      return true;
    }
    lua_pop(L, 2);
    if (!CollectOne(L, pool, deadline)) return false;
  }
}

// Queues a task without ever blocking for good: while the tasks queue is
// full, results are collected, so workers blocked on a full results queue
// can go on (map over many items would otherwise deadlock).
void Submit(lua_State* L, int pool, const std::string& bytes) {
  Pool* p = CheckPool(L, pool);
  while (!QueuePush(L, p->tasks, bytes, false, -1)) CollectOne(L, pool, NowUs() + 50'000);
}

// Pushes the task's return values, or raises its error.
int PushOutcome(lua_State* L) {
  const int result = lua_gettop(L);
  if (lua_getfield(L, result, "err") != LUA_TNIL) return lua_error(L);
  lua_pop(L, 1);
  lua_getfield(L, result, "values");
  const int values = lua_gettop(L);
  lua_getfield(L, values, "n");
  const int n = static_cast<int>(lua_tointeger(L, -1));
  lua_pop(L, 1);
  luaL_checkstack(L, n, "task results");
  for (int i = 1; i <= n; ++i) lua_rawgeti(L, values, i);
  return n;
}

void CheckHandle(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_getmetatable(L, kHandle);
  lua_getmetatable(L, 1);
  if (!lua_rawequal(L, -1, -2)) luaL_argerror(L, 1, "a pool's async result");
  lua_pop(L, 2);
}

int HandleGet(lua_State* L) {
  CheckHandle(L);
  const int64_t deadline = DeadlineFrom(L, 2);
  // The outcome is kept in the handle: get() may be asked again.
  if (lua_getfield(L, 1, "outcome") != LUA_TNIL) return PushOutcome(L);
  lua_pop(L, 1);
  lua_getfield(L, 1, "pool");
  const int pool = lua_gettop(L);
  lua_getfield(L, 1, "id");
  const int64_t id = lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (!AwaitResult(L, pool, id, deadline)) {
    lua_pushnil(L);
    lua_pushliteral(L, "timeout");
    return 2;
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, 1, "outcome");
  return PushOutcome(L);
}

int Map(lua_State* L) {
  Pool* p = CheckPool(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  luaL_checktype(L, 3, LUA_TTABLE);
  if (p->closed) return luaL_error(L, "pool:map: the pool is closed");
  const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 3));
  const int64_t first = p->next_id + 1;
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_settop(L, 3);
    lua_pushvalue(L, 2);
    lua_rawgeti(L, 3, i);
    std::string bytes = EncodeTask(L, 4, ++p->next_id);
    Submit(L, 1, bytes);
  }
  lua_settop(L, 3);
  lua_createtable(L, static_cast<int>(n), 0);
  const int out = lua_gettop(L);
  for (lua_Integer i = 0; i < n; ++i) {
    AwaitResult(L, 1, first + i, -1);
    const int got = PushOutcome(L);  // raises the task's error
    if (got == 0) lua_pushnil(L);
    const int first_value = lua_gettop(L) - (got > 0 ? got : 1) + 1;
    lua_pushvalue(L, first_value);
    lua_rawseti(L, out, i + 1);
    lua_settop(L, out);
  }
  return 1;
}

int PoolClose(lua_State* L) {
  Pool* p = CheckPool(L);
  if (p->closed) return 0;
  p->closed = true;
  std::string stop;
  lua_createtable(L, 0, 1);
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, "stop");
  stop = EncodeOrRaise(L, -1, "pool:close");
  lua_pop(L, 1);
  for (int i = 0; i < p->workers; ++i) QueuePush(L, p->tasks, stop, true, -1);
  return 0;
}

int Join(lua_State* L) {
  Pool* p = CheckPool(L);
  if (!p->closed) return luaL_error(L, "pool:join: close the pool first");
  for (int i = 0; i < p->workers; ++i) {
    while (p->pids[i] > 0) {
      int status;
      pid_t r = waitpid(p->pids[i], &status, 0);
      if (r == p->pids[i] || (r < 0 && errno != EINTR))
        p->pids[i] = 0;
      else if (r < 0)
        RunPendingHandlers(L);
    }
  }
  return 0;
}

// pool:terminate(), and what `<close>` and the collector do: Python's
// Pool.__exit__ and __del__ terminate their workers too.
int Terminate(lua_State* L) {
  StopWorkers(CheckPool(L));
  return 0;
}

int Workers(lua_State* L) {
  Pool* p = CheckPool(L);
  lua_createtable(L, p->workers, 0);
  for (int i = 0; i < p->workers; ++i) {
    lua_pushinteger(L, p->pids[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

}  // namespace

void OpenPoolFunctions(lua_State* L) {
  if (luaL_newmetatable(L, kPool)) {
    static const luaL_Reg methods[] = {
        {"apply_async", ApplyAsync}, {"map", Map},         {"close", PoolClose}, {"join", Join},
        {"terminate", Terminate},    {"workers", Workers}, {nullptr, nullptr}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, Terminate);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, Terminate);
    lua_setfield(L, -2, "__close");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, kHandle)) {
    static const luaL_Reg methods[] = {{"get", HandleGet}, {nullptr, nullptr}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, NewPool);
  lua_setfield(L, -2, "pool");
}

}  // namespace proclab::lua
