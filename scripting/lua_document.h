// A scenario table returned by a Lua file becomes the document tree (doc.h)
// that YAML files also become, so both syntaxes share one reader and one set
// of checks. A table has no line numbers: each node carries its place in the
// table instead ("expect[2].exit"), which error messages show.
#pragma once

#include <string>

#include "runner/base/error.h"
#include "runner/scenario/doc.h"
#include "scripting/lua_headers.h"

namespace proclab::lua {

// Converts the table at `index` of file `file`. Functions are accepted as
// actors and as expectations only: they are referenced in the registry and
// become function nodes placed at the line that defines them.
Result<Document> TableToDocument(lua_State* L, int index, const std::string& file);

}  // namespace proclab::lua
