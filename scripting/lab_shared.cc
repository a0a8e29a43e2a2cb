// lab.value(type, init) and lab.array(type, n | table): numbers in shared
// memory. get and set are single reads and writes — a read-modify-write made
// of them can lose updates, which is the lesson; add() is atomic.
#include <atomic>
#include <cstdint>
#include <cstring>

#include "scripting/lab_library.h"
#include "scripting/lab_objects.h"
#include "scripting/shared_memory.h"

namespace proclab::lua {
namespace {

constexpr const char* kValue = "lab.Value";
constexpr const char* kArray = "lab.Array";

struct Cells {
  bool is_double = false;
  lua_Integer n = 0;
  int64_t* cells = nullptr;  // shared; doubles are stored bit-for-bit
};

bool IsDouble(lua_State* L, int arg) {
  const char* type = luaL_checkstring(L, arg);
  if (strcmp(type, "int") == 0) return false;
  if (strcmp(type, "double") == 0) return true;
  luaL_argerror(L, arg, "\"int\" or \"double\"");
  return false;
}

void Store(lua_State* L, const Cells* c, lua_Integer i, int arg) {
  if (c->is_double) {
    double d = luaL_checknumber(L, arg);
    int64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    __atomic_store_n(&c->cells[i], bits, __ATOMIC_SEQ_CST);
  } else {
    __atomic_store_n(&c->cells[i], static_cast<int64_t>(luaL_checkinteger(L, arg)),
                     __ATOMIC_SEQ_CST);
  }
}

void Load(lua_State* L, const Cells* c, lua_Integer i) {
  const int64_t bits = __atomic_load_n(&c->cells[i], __ATOMIC_SEQ_CST);
  if (c->is_double) {
    double d;
    std::memcpy(&d, &bits, sizeof d);
    lua_pushnumber(L, d);
  } else {
    lua_pushinteger(L, bits);
  }
}

Cells* NewCells(lua_State* L, const char* meta, bool is_double, lua_Integer n) {
  auto* c = static_cast<Cells*>(lua_newuserdatauv(L, sizeof(Cells), 0));
  *c = Cells{};
  luaL_setmetatable(L, meta);
  c->cells = static_cast<int64_t*>(MapShared(L, sizeof(int64_t) * static_cast<size_t>(n)));
  c->is_double = is_double;
  c->n = n;
  RegisterObject(L, -1);
  return c;
}

int SharedRelease(lua_State* L) {
  auto* c = static_cast<Cells*>(lua_touserdata(L, 1));
  if (c && c->cells) UnmapShared(c->cells, sizeof(int64_t) * static_cast<size_t>(c->n));
  if (c) c->cells = nullptr;
  return 0;
}

Cells* CheckValue(lua_State* L) {
  auto* c = static_cast<Cells*>(luaL_checkudata(L, 1, kValue));
  luaL_argcheck(L, c->cells != nullptr, 1, "the value was released");
  return c;
}

int ValueGet(lua_State* L) {
  Load(L, CheckValue(L), 0);
  return 1;
}

int ValueSet(lua_State* L) {
  Store(L, CheckValue(L), 0, 2);
  return 0;
}

int ValueAdd(lua_State* L) {
  Cells* c = CheckValue(L);
  if (!c->is_double) {
    lua_pushinteger(L,
                    __atomic_add_fetch(&c->cells[0], luaL_optinteger(L, 2, 1), __ATOMIC_SEQ_CST));
    return 1;
  }
  const double add = luaL_optnumber(L, 2, 1.0);
  int64_t old = __atomic_load_n(&c->cells[0], __ATOMIC_SEQ_CST), next;
  double d;
  do {
    std::memcpy(&d, &old, sizeof d);
    d += add;
    std::memcpy(&next, &d, sizeof next);
  } while (!__atomic_compare_exchange_n(&c->cells[0], &old, next, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST));
  lua_pushnumber(L, d);
  return 1;
}

int NewValue(lua_State* L) {
  RequireActor(L, "lab.value");
  const bool is_double = IsDouble(L, 1);
  Cells* c = NewCells(L, kValue, is_double, 1);
  if (!lua_isnoneornil(L, 2)) Store(L, c, 0, 2);
  return 1;
}

Cells* CheckArray(lua_State* L) {
  auto* c = static_cast<Cells*>(luaL_checkudata(L, 1, kArray));
  luaL_argcheck(L, c->cells != nullptr, 1, "the array was released");
  return c;
}

lua_Integer Index(lua_State* L, const Cells* c) {
  const lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && i <= c->n, 2, "index out of range");
  return i - 1;
}

int ArrayIndex(lua_State* L) {
  Cells* c = CheckArray(L);
  if (lua_type(L, 2) == LUA_TSTRING) {  // methods
    luaL_getmetafield(L, 1, "methods");
    lua_getfield(L, -1, lua_tostring(L, 2));
    return 1;
  }
  Load(L, c, Index(L, c));
  return 1;
}

int ArrayNewIndex(lua_State* L) {
  Cells* c = CheckArray(L);
  Store(L, c, Index(L, c), 3);
  return 0;
}

int ArrayLen(lua_State* L) {
  lua_pushinteger(L, CheckArray(L)->n);
  return 1;
}

int ArrayToTable(lua_State* L) {
  Cells* c = CheckArray(L);
  lua_createtable(L, static_cast<int>(c->n), 0);
  for (lua_Integer i = 0; i < c->n; ++i) {
    Load(L, c, i);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

int NewArray(lua_State* L) {
  RequireActor(L, "lab.array");
  const bool is_double = IsDouble(L, 1);
  if (lua_istable(L, 2)) {
    const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 2));
    luaL_argcheck(L, n >= 1, 2, "an array needs at least one element");
    Cells* c = NewCells(L, kArray, is_double, n);
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, 2, i);
      Store(L, c, i - 1, lua_gettop(L));
      lua_pop(L, 1);
    }
    return 1;
  }
  const lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n >= 1 && n <= (1 << 24), 2, "a length between 1 and 16777216");
  NewCells(L, kArray, is_double, n);
  return 1;
}

}  // namespace

void OpenSharedFunctions(lua_State* L) {
  if (luaL_newmetatable(L, kValue)) {
    static const luaL_Reg methods[] = {
        {"get", ValueGet}, {"set", ValueSet}, {"add", ValueAdd}, {nullptr, nullptr}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, SharedRelease);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, kArray)) {
    static const luaL_Reg methods[] = {{"totable", ArrayToTable}, {nullptr, nullptr}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "methods");
    static const luaL_Reg meta[] = {{"__index", ArrayIndex},
                                    {"__newindex", ArrayNewIndex},
                                    {"__len", ArrayLen},
                                    {"__gc", SharedRelease},
                                    {nullptr, nullptr}};
    luaL_setfuncs(L, meta, 0);
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, NewValue);
  lua_setfield(L, -2, "value");
  lua_pushcfunction(L, NewArray);
  lua_setfield(L, -2, "array");
}

}  // namespace proclab::lua
