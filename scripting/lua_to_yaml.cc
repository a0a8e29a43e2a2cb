#include "scripting/lua_to_yaml.h"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <vector>

namespace proclab::lua {
namespace {

struct ConvertError {
  std::string message;
};

class Converter {
 public:
  explicit Converter(lua_State* L) : L_(L) {}

  YAML::Node Value(int index, const std::string& path, int depth = 0) {
    index = lua_absindex(L_, index);
    // Each level holds a key and a value on the Lua stack; no API check would
    // catch an overflow in this build.
    if (depth > 100 || !lua_checkstack(L_, 4))
      throw ConvertError{fmt::format("{}: the table is nested too deeply", path)};
    YAML::Node node;
    switch (lua_type(L_, index)) {
      case LUA_TNIL: node = YAML::Node(YAML::NodeType::Null); break;
      case LUA_TBOOLEAN: node = lua_toboolean(L_, index) ? "true" : "false"; break;
      case LUA_TNUMBER:
        if (!lua_isinteger(L_, index) && !std::isfinite(lua_tonumber(L_, index)))
          throw ConvertError{
              fmt::format("{}: {} is not a usable number", path, lua_tonumber(L_, index))};
        node = lua_isinteger(L_, index) ? fmt::format("{}", lua_tointeger(L_, index))
                                        : fmt::format("{}", lua_tonumber(L_, index));
        break;
      case LUA_TSTRING: {
        size_t len = 0;
        const char* text = lua_tolstring(L_, index, &len);
        node = std::string(text, len);
        break;
      }
      case LUA_TTABLE: node = Table(index, path, depth); break;
      case LUA_TFUNCTION:
        throw ConvertError{
            fmt::format("{}: a function is allowed only as an actor or an expectation", path)};
      default:
        throw ConvertError{
            fmt::format("{}: a {} cannot be part of a scenario", path, luaL_typename(L_, index))};
    }
    node.SetTag("lua:" + path);
    return node;
  }

  Converted result;

 private:
  YAML::Node Table(int index, const std::string& path, int depth) {
    // A table open further up is a cycle; the same table in two places is not.
    const void* self = lua_topointer(L_, index);
    if (!open_.insert(self).second)
      throw ConvertError{fmt::format("{}: the table contains itself", path)};
    YAML::Node node = Fields(index, path, depth);
    open_.erase(self);
    return node;
  }

  YAML::Node Fields(int index, const std::string& path, int depth) {
    // A list has exactly the keys 1..n; anything else is a mapping.
    const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L_, index));
    bool named = false;
    lua_pushnil(L_);
    while (lua_next(L_, index)) {
      lua_pop(L_, 1);
      if (!lua_isinteger(L_, -1) || lua_tointeger(L_, -1) < 1 || lua_tointeger(L_, -1) > n)
        named = true;
    }
    if (named && n > 0)
      throw ConvertError{
          fmt::format("{}: a table is either a list or named fields, not both", path)};
    YAML::Node node(named ? YAML::NodeType::Map : YAML::NodeType::Sequence);
    if (!named) {
      for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L_, index, i);
        const std::string item = fmt::format("{}[{}]", path, i);
        if (path == "expect" && lua_type(L_, -1) == LUA_TFUNCTION) {
          result.expect_functions[static_cast<size_t>(i - 1)] = luaL_ref(L_, LUA_REGISTRYINDEX);
          YAML::Node placeholder(YAML::NodeType::Map);
          placeholder["lua"] = "(a Lua function)";
          placeholder.SetTag("lua:" + item);
          node.push_back(placeholder);
          continue;
        }
        node.push_back(Value(-1, item, depth + 1));
        lua_pop(L_, 1);
      }
      return node;
    }
    lua_pushnil(L_);
    while (lua_next(L_, index)) {
      if (lua_type(L_, -2) != LUA_TSTRING)
        throw ConvertError{fmt::format("{}: field names must be strings", path)};
      const std::string key = lua_tostring(L_, -2);
      const std::string sub = path.empty() ? key : path + "." + key;
      if (path == "actors" && lua_type(L_, -1) == LUA_TFUNCTION) {
        result.actor_functions[key] = luaL_ref(L_, LUA_REGISTRYINDEX);  // pops the value
        YAML::Node placeholder(YAML::NodeType::Sequence);
        placeholder.SetTag("lua:" + sub);
        node[key] = placeholder;
        continue;
      }
      node[key] = Value(-1, sub, depth + 1);
      lua_pop(L_, 1);
    }
    return node;
  }

  lua_State* L_;
  std::set<const void*> open_;
};

}  // namespace

Result<Converted> TableToYaml(lua_State* L, int index) {
  Converter c(L);
  try {
    c.result.node = c.Value(index, "");
  } catch (const ConvertError& e) {
    return Error(e.message);
  }
  return std::move(c.result);
}

}  // namespace proclab::lua
