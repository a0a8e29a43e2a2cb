#include "scripting/lab_objects.h"

#include <cstdint>

namespace proclab::lua {
namespace {

constexpr const char* kObjectsKey = "lab.objects";

void PushTable(lua_State* L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, kObjectsKey) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kObjectsKey);
}

lua_Integer Handle(lua_State* L, int index) {
  return static_cast<lua_Integer>(reinterpret_cast<intptr_t>(lua_touserdata(L, index)));
}

}  // namespace

void RegisterObject(lua_State* L, int index) {
  index = lua_absindex(L, index);
  PushTable(L);
  lua_pushvalue(L, index);
  lua_rawseti(L, -2, Handle(L, index));
  lua_pop(L, 1);
}

lua_Integer ObjectHandle(lua_State* L, int index) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TUSERDATA) return 0;
  const lua_Integer handle = Handle(L, index);
  PushTable(L);
  const bool known = lua_rawgeti(L, -1, handle) == LUA_TUSERDATA && lua_rawequal(L, -1, index);
  lua_pop(L, 2);
  return known ? handle : 0;
}

bool PushObject(lua_State* L, lua_Integer handle) {
  PushTable(L);
  if (lua_rawgeti(L, -1, handle) != LUA_TUSERDATA) {
    lua_pop(L, 2);
    return false;
  }
  lua_remove(L, -2);
  return true;
}

}  // namespace proclab::lua
