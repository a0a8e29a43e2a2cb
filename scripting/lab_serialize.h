// Values crossing processes (pipes, queues, pools): nil, booleans, integers,
// floats, strings and tables of them without cycles, encoded to bytes and
// decoded into a fresh copy on the other side.
#pragma once

#include <string>
#include <string_view>

#include "scripting/lua_headers.h"

namespace proclab::lua {

// Encodes the value at `index`; on an unsendable value returns false and
// sets *why ("a function cannot be sent: …").
bool Encode(lua_State* L, int index, std::string* out, std::string* why);
// Pushes the decoded value; false (nothing pushed) on malformed bytes.
bool Decode(lua_State* L, std::string_view bytes);

// Encode, or raise a Lua error naming what could not be sent.
std::string EncodeOrRaise(lua_State* L, int index, const char* what);

}  // namespace proclab::lua
