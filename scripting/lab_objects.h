// Lab objects (queues, pipes, values, arrays, locks, events, semaphores)
// made in a process live at the same address in every process forked after
// it: a handle — that address — finds the same object again in a pool worker.
#pragma once

#include "scripting/lua_headers.h"

namespace proclab::lua {

// Remembers the userdata at `index` (weakly) as a lab object.
void RegisterObject(lua_State* L, int index);
// The handle of the userdata at `index`, or 0 when it is no lab object.
lua_Integer ObjectHandle(lua_State* L, int index);
// Pushes the object with `handle`; false (nothing pushed) when this process
// does not have it (it was made after this process was forked).
bool PushObject(lua_State* L, lua_Integer handle);

}  // namespace proclab::lua
