// Expectations written in Lua: functions `function(t) return ok, message end`
// (Lua scenarios) and `lua: EXPR` (YAML), over a read-only view of the run's
// timeline (docs/lua.md lists what `t` offers).
#pragma once

#include "runner/expect/judge.h"

namespace proclab {

// The judge RunOptions hands to Judge(): evaluates kLua expectations in the
// scenario's Lua state (a fresh restricted one for YAML scenarios).
LuaJudge MakeLuaJudge();

}  // namespace proclab
