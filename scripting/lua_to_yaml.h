// A scenario table returned by a Lua file becomes the same YAML node tree the
// YAML front-end reads, so both syntaxes share one reader and one set of
// checks. Nodes carry their place in the table as a tag ("lua:expect[2].exit"),
// which error messages show since a table has no line numbers.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>

#include "runner/base/error.h"
#include "scripting/lua_headers.h"

namespace proclab::lua {

struct Converted {
  YAML::Node node;
  std::map<std::string, int> actor_functions;  // actor name -> registry reference
  std::map<size_t, int> expect_functions;      // index in expect -> registry reference
};

// Converts the table at `index`. Functions are accepted as actors and as
// expectations only; they are referenced in the registry and replaced by
// placeholders the reader accepts (an empty action list, a `lua:` check).
Result<Converted> TableToYaml(lua_State* L, int index);

}  // namespace proclab::lua
