// lab.measure(name, number): a value recorded straight into the timeline
// (a `value` event), for the `value` and `compare` expectations and
// t:values(name).
#include <cctype>
#include <cmath>
#include <string>

#include "runner/lab/actor_calls.h"
#include "scripting/lab_library.h"

namespace proclab::lua {

void CheckMeasureName(lua_State* L, int arg, const std::string& name) {
  bool ok =
      !name.empty() && name.size() <= 200 && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok)
    luaL_argerror(
        L, arg,
        lua_pushfstring(L, "'%s' is not a value name (letters, digits and '_')", name.c_str()));
}

namespace {

int Measure(lua_State* L) {
  RequireActor(L, "lab.measure");
  const std::string name = luaL_checkstring(L, 1);
  CheckMeasureName(L, 1, name);
  const lua_Number value = luaL_checknumber(L, 2);
  luaL_argcheck(L, std::isfinite(value), 2, "the value is not a finite number");
  actor::Measure(name, value);
  return 0;
}

}  // namespace

void OpenMeasureFunctions(lua_State* L) {
  lua_pushcfunction(L, Measure);
  lua_setfield(L, -2, "measure");
}

}  // namespace proclab::lua
