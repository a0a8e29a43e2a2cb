#include "scripting/lab_library.h"
#include "runner/lab/actor_calls.h"

#include <fmt/format.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "runner/base/signal_names.h"
#include "scripting/lua_state.h"

namespace proclab::lua {
namespace {

constexpr const char* kActorKey = "lab.actor";        // the actor this process runs
constexpr const char* kChildrenKey = "lab.children";  // how many children it named

// print(...) in an actor: one write per line, so each line reaches the lab at
// once with its writer (C stdio would buffer in a pipe).
int Print(lua_State* L) {
  std::string line;
  const int n = lua_gettop(L);
  for (int i = 1; i <= n; ++i) {
    if (i > 1) line += '\t';
    size_t len = 0;
    const char* s = luaL_tolstring(L, i, &len);
    line.append(s, len);
    lua_pop(L, 1);
  }
  line += '\n';
  actor::WriteAll(1, line);
  return 0;
}

}  // namespace

void RequireActor(lua_State* L, const char* what) {
  lua_getfield(L, LUA_REGISTRYINDEX, kActorKey);
  const bool inside = lua_isstring(L, -1);
  lua_pop(L, 1);
  if (!inside)
    luaL_error(L, "%s works only inside an actor (a function the lab runs in its own process)",
               what);
}

std::string ActorName(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kActorKey);
  std::string name = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
  lua_pop(L, 1);
  return name;
}

std::string NextChildName(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kChildrenKey);
  const lua_Integer n = lua_tointeger(L, -1) + 1;
  lua_pop(L, 1);
  lua_pushinteger(L, n);
  lua_setfield(L, LUA_REGISTRYINDEX, kChildrenKey);
  return fmt::format("{}.{}", ActorName(L), n);
}

namespace {

// What an actor and a forked child both start from.
void SetActorName(lua_State* L, const std::string& name) {
  lua_pushstring(L, name.c_str());
  lua_setfield(L, LUA_REGISTRYINDEX, kActorKey);
  lua_pushinteger(L, 0);
  lua_setfield(L, LUA_REGISTRYINDEX, kChildrenKey);
}

}  // namespace

void EnterActor(lua_State* L, const std::string& name) {
  SetActorName(L, name);
  lua_pushcfunction(L, Print);
  lua_setglobal(L, "print");
  TrackRunningThread(L);
}

void NameNextChild(const std::string& name) { actor::NameNextChild(name); }

void BecomeChild(lua_State* L, const std::string& name) {
  ResetPendingSignals();
  SetActorName(L, name);
  SetRunningThread(L);
  prctl(PR_SET_NAME, name.c_str());
}

int RunActorFunction(lua_State* L) {
  if (auto failed = Call(L, 0, 1)) {
    actor::WriteAll(
        2, fmt::format("{}: {}\n{}\n", ActorName(L), failed->Describe(), failed->traceback));
    return 1;
  }
  if (lua_isinteger(L, -1)) return static_cast<int>(lua_tointeger(L, -1) & 0xff);
  if (lua_isboolean(L, -1)) return lua_toboolean(L, -1) ? 0 : 1;
  return 0;
}

int CheckSignal(lua_State* L, int arg) {
  if (lua_isinteger(L, arg)) {
    lua_Integer sig = lua_tointeger(L, arg);
    if (sig < 0 || sig > 64) luaL_argerror(L, arg, "not a signal number");
    return static_cast<int>(sig);
  }
  const char* name = luaL_checkstring(L, arg);
  auto sig = ParseSignal(name);
  if (!sig)
    luaL_argerror(L, arg, lua_pushfstring(L, "'%s' is not a signal (write \"SIGUSR1\")", name));
  return *sig;
}

void OpenLabLibrary(lua_State* L) {
  lua_newtable(L);
  OpenProcessFunctions(L);
  OpenSignalFunctions(L);
  OpenPipeFunctions(L);
  OpenQueueFunctions(L);
  OpenSharedFunctions(L);
  OpenSyncFunctions(L);
  OpenPoolFunctions(L);
  OpenMeasureFunctions(L);
  lua_pushcfunction(L, Print);
  lua_setfield(L, -2, "print");
  lua_setglobal(L, "lab");
}

}  // namespace proclab::lua
