#include "scripting/lua_document.h"

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
  Converter(lua_State* L, Document* doc) : L_(L), doc_(doc) {}

  const DocNode* Value(int index, const std::string& path, int depth = 0) {
    index = lua_absindex(L_, index);
    // Each level holds a key and a value on the Lua stack; no API check would
    // catch an overflow in this build.
    if (depth > 100 || !lua_checkstack(L_, 4))
      throw ConvertError{fmt::format("{}: the table is nested too deeply", path)};
    DocNode* node = nullptr;
    switch (lua_type(L_, index)) {
      case LUA_TNIL: node = doc_->Null(); break;
      case LUA_TBOOLEAN: node = doc_->Scalar(lua_toboolean(L_, index) ? "true" : "false"); break;
      case LUA_TNUMBER:
        if (!lua_isinteger(L_, index) && !std::isfinite(lua_tonumber(L_, index)))
          throw ConvertError{
              fmt::format("{}: {} is not a usable number", path, lua_tonumber(L_, index))};
        node = doc_->Scalar(lua_isinteger(L_, index) ? fmt::format("{}", lua_tointeger(L_, index))
                                                     : fmt::format("{}", lua_tonumber(L_, index)));
        break;
      case LUA_TSTRING: {
        size_t len = 0;
        const char* text = lua_tolstring(L_, index, &len);
        node = doc_->Scalar(std::string(text, len));
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
    doc_->SetPlace(node, path);
    return node;
  }

 private:
  // An actor's body or an expectation: referenced, placed where it is defined.
  const DocNode* Function(int index, const std::string& path) {
    lua_pushvalue(L_, index);
    lua_Debug ar;
    lua_getinfo(L_, ">S", &ar);  // pops the copy
    lua_pushvalue(L_, index);
    DocNode* node = doc_->Function(luaL_ref(L_, LUA_REGISTRYINDEX));
    node->SetPosition(ar.linedefined, 0);
    doc_->SetPlace(node, path);
    return node;
  }

  DocNode* Table(int index, const std::string& path, int depth) {
    // A table open further up is a cycle; the same table in two places is not.
    const void* self = lua_topointer(L_, index);
    if (!open_.insert(self).second)
      throw ConvertError{fmt::format("{}: the table contains itself", path)};
    DocNode* node = Fields(index, path, depth);
    open_.erase(self);
    return node;
  }

  DocNode* Fields(int index, const std::string& path, int depth) {
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
    if (!named) {
      DocNode* list = doc_->List();
      std::vector<const DocNode*> items;
      for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L_, index, i);
        const std::string item = fmt::format("{}[{}]", path, i);
        if (path == "expect" && lua_type(L_, -1) == LUA_TFUNCTION)
          items.push_back(Function(-1, item));
        else
          items.push_back(Value(-1, item, depth + 1));
        lua_pop(L_, 1);
      }
      doc_->SetKids(list, items);
      return list;
    }
    DocNode* map = doc_->Map();
    std::vector<const DocNode*> entries;  // key, value, key, value…
    lua_pushnil(L_);
    while (lua_next(L_, index)) {
      if (lua_type(L_, -2) != LUA_TSTRING)
        throw ConvertError{fmt::format("{}: field names must be strings", path)};
      const std::string key = lua_tostring(L_, -2);
      const std::string sub = path.empty() ? key : fmt::format("{}.{}", path, key);
      // Keys have no place of their own: a complaint about one names its table.
      const DocNode* key_node = doc_->Scalar(key);
      entries.push_back(key_node);
      if (path == "actors" && lua_type(L_, -1) == LUA_TFUNCTION)
        entries.push_back(Function(-1, sub));
      else
        entries.push_back(Value(-1, sub, depth + 1));
      lua_pop(L_, 1);
    }
    doc_->SetKids(map, entries);
    return map;
  }

  lua_State* L_;
  Document* doc_;
  std::set<const void*> open_;
};

}  // namespace

Result<Document> TableToDocument(lua_State* L, int index, const std::string& file) {
  Document doc;
  Converter c(L, &doc);
  try {
    doc.SetRoot(c.Value(index, ""));
  } catch (const ConvertError& e) {
    return Error(e.message, SourceLoc{file, 0, 0});
  }
  return doc;
}

}  // namespace proclab::lua
