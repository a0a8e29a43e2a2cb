// Lua, as Debian's lua5.4-c++ builds it: compiled as C++, so its functions
// have C++ linkage (do not use lua.hpp, which would declare them extern "C"),
// and lua_error unwinds with an exception that runs C++ destructors.
#pragma once

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
