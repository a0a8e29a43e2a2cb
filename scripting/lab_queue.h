// The queue behind lab.queue, also used by lab.pool for tasks and results.
#pragma once

#include <cstdint>
#include <string>

#include "scripting/lua_headers.h"

namespace proclab::lua {

struct Ring;

// Pushes a new queue userdata (maxsize 0: limited only by its memory).
Ring* PushNewQueue(lua_State* L, int64_t maxsize);
// The queue userdata at `index`.
Ring* QueueOf(lua_State* L, int index);
// Blocking unless `block` is false; deadline -1 waits for ever. False when
// full (push) or empty (pop) at the deadline.
bool QueuePush(lua_State* L, Ring* r, const std::string& bytes, bool block, int64_t deadline);
bool QueuePop(lua_State* L, Ring* r, std::string* bytes, bool block, int64_t deadline);

}  // namespace proclab::lua
