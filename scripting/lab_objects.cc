#include "scripting/lab_objects.h"

#include <unistd.h>

#include <cstdint>

namespace proclab::lua {
namespace {

constexpr const char* kByIdKey = "lab.objects";     // id -> object (weak values)
constexpr const char* kIdOfKey = "lab.object_ids";  // object -> id (weak keys)
lua_Integer g_serial = 0;

void PushWeak(lua_State* L, const char* key, const char* mode) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, key) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushstring(L, mode);
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, key);
}

}  // namespace

// An object's identity is the process that made it and a serial number, so
// a worker can tell "the parent's counter" from an object of its own that
// happens to sit at the same address.
void RegisterObject(lua_State* L, int index) {
  index = lua_absindex(L, index);
  const lua_Integer id = (static_cast<lua_Integer>(getpid()) << 32) | ++g_serial;
  PushWeak(L, kByIdKey, "v");
  lua_pushvalue(L, index);
  lua_rawseti(L, -2, id);
  lua_pop(L, 1);
  PushWeak(L, kIdOfKey, "k");
  lua_pushvalue(L, index);
  lua_pushinteger(L, id);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

lua_Integer ObjectHandle(lua_State* L, int index) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TUSERDATA) return 0;
  PushWeak(L, kIdOfKey, "k");
  lua_pushvalue(L, index);
  lua_rawget(L, -2);
  const lua_Integer id = lua_tointeger(L, -1);
  lua_pop(L, 2);
  return id;
}

bool PushObject(lua_State* L, lua_Integer handle) {
  PushWeak(L, kByIdKey, "v");
  if (lua_rawgeti(L, -1, handle) != LUA_TUSERDATA) {
    lua_pop(L, 2);
    return false;
  }
  lua_remove(L, -2);
  return true;
}

}  // namespace proclab::lua
