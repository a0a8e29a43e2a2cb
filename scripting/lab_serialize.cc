#include "scripting/lab_serialize.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <set>

namespace proclab::lua {
namespace {

constexpr int kMaxDepth = 200;

void PutU32(std::string* out, uint32_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

struct Encoder {
  lua_State* L;
  std::string* out;
  std::string why;
  std::set<const void*> open;  // tables being encoded: a repeat is a cycle

  bool Value(int index, int depth) {
    index = lua_absindex(L, index);
    if (depth > kMaxDepth) {  // the decoder's limit too: what is sent can be read
      why = "the table is nested too deeply";
      return false;
    }
    switch (lua_type(L, index)) {
      case LUA_TNIL: out->push_back('n'); return true;
      case LUA_TBOOLEAN: out->push_back(lua_toboolean(L, index) ? 'T' : 'F'); return true;
      case LUA_TNUMBER:
        if (lua_isinteger(L, index)) {
          int64_t v = lua_tointeger(L, index);
          out->push_back('i');
          out->append(reinterpret_cast<const char*>(&v), sizeof v);
        } else {
          double v = lua_tonumber(L, index);
          out->push_back('d');
          out->append(reinterpret_cast<const char*>(&v), sizeof v);
        }
        return true;
      case LUA_TSTRING: {
        size_t len = 0;
        const char* s = lua_tolstring(L, index, &len);
        out->push_back('s');
        PutU32(out, static_cast<uint32_t>(len));
        out->append(s, len);
        return true;
      }
      case LUA_TTABLE: return Table(index, depth);
      default:
        why = fmt::format(
            "a {} cannot be sent (only nil, booleans, numbers, strings and tables of them)",
            luaL_typename(L, index));
        return false;
    }
  }

  bool Table(int index, int depth) {
    const void* p = lua_topointer(L, index);
    // Each level keeps a key and a value on the stack (and no API check here).
    if (!lua_checkstack(L, 3)) {
      why = "the table is nested too deeply";
      return false;
    }
    if (!open.insert(p).second) {
      why = "the table contains itself (a cycle cannot be sent)";
      return false;
    }
    std::string body;
    std::swap(body, *out);
    uint32_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, index)) {
      if (!Value(-2, depth + 1) || !Value(-1, depth + 1)) {
        lua_pop(L, 2);
        std::swap(body, *out);
        return false;
      }
      lua_pop(L, 1);
      ++count;
    }
    std::swap(body, *out);
    out->push_back('t');
    PutU32(out, count);
    out->append(body);
    open.erase(p);
    return true;
  }
};

struct Decoder {
  lua_State* L;
  std::string_view in;
  size_t at = 0;

  bool Take(void* dst, size_t n) {
    if (in.size() - at < n) return false;
    std::memcpy(dst, in.data() + at, n);
    at += n;
    return true;
  }

  bool Value(int depth) {
    if (depth > kMaxDepth || at >= in.size()) return false;
    luaL_checkstack(L, 4, "decoding a value");
    switch (in[at++]) {
      case 'n': lua_pushnil(L); return true;
      case 'T': lua_pushboolean(L, 1); return true;
      case 'F': lua_pushboolean(L, 0); return true;
      case 'i': {
        int64_t v;
        if (!Take(&v, sizeof v)) return false;
        lua_pushinteger(L, v);
        return true;
      }
      case 'd': {
        double v;
        if (!Take(&v, sizeof v)) return false;
        lua_pushnumber(L, v);
        return true;
      }
      case 's': {
        uint32_t len;
        if (!Take(&len, sizeof len) || in.size() - at < len) return false;
        lua_pushlstring(L, in.data() + at, len);
        at += len;
        return true;
      }
      case 't': {
        uint32_t count;
        if (!Take(&count, sizeof count)) return false;
        lua_createtable(L, 0, 0);
        for (uint32_t i = 0; i < count; ++i) {
          if (!Value(depth + 1)) return false;
          if (!Value(depth + 1)) return false;
          if (lua_isnil(L, -2)) return false;
          lua_rawset(L, -3);
        }
        return true;
      }
      default: return false;
    }
  }
};

}  // namespace

bool Encode(lua_State* L, int index, std::string* out, std::string* why) {
  Encoder e{L, out, {}, {}};
  out->clear();
  if (e.Value(index, 0)) return true;
  if (why) *why = e.why;
  return false;
}

bool Decode(lua_State* L, std::string_view bytes) {
  const int top = lua_gettop(L);
  Decoder d{L, bytes};
  if (d.Value(0) && d.at == bytes.size()) return true;
  lua_settop(L, top);
  return false;
}

std::string EncodeOrRaise(lua_State* L, int index, const char* what) {
  std::string out, why;
  if (!Encode(L, index, &out, &why)) luaL_error(L, "%s: %s", what, why.c_str());
  return out;
}

}  // namespace proclab::lua
