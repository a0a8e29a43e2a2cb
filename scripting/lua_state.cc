#include "scripting/lua_state.h"

#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include "runner/base/clock.h"

namespace proclab::lua {
namespace {

constexpr const char* kStateKey = "proclab.state";
constexpr const char* kDeadlineKey = "proclab.deadline";

// The message handler: turns the error object into a table with the
// message, the place of the innermost Lua function and the traceback, read
// from the stack while it still exists. Level 1 is the function that raised
// (the C function `error`, or the Lua function whose operation failed).
constexpr const char* kFailureKey = "proclab.failure";

int RecordFailure(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  lua_createtable(L, 0, 5);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "object");
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    lua_pushstring(L, ar.source);
    lua_setfield(L, -2, "source");
    lua_pushstring(L, ar.short_src);
    lua_setfield(L, -2, "short_src");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, -2, "line");
    break;
  }
  luaL_traceback(L, L, nullptr, 1);
  lua_setfield(L, -2, "traceback");
  luaL_setmetatable(L, kFailureKey);
  return 1;
}

// A chunk's name as the user knows it: "@path" and "=name" lose their mark.
std::string ChunkFile(const std::string& source) {
  if (!source.empty() && (source[0] == '@' || source[0] == '=')) return source.substr(1);
  return source;
}

std::string Field(lua_State* L, int table, const char* key) {
  lua_getfield(L, table, key);
  std::string out = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
  lua_pop(L, 1);
  return out;
}

// The failure whose object is on top of the stack (popped).
Failure TakeFailure(lua_State* L) {
  Failure f;
  const int top = lua_gettop(L);
  if (lua_istable(L, top) && lua_getmetatable(L, top)) {
    luaL_getmetatable(L, kFailureKey);
    const bool ours = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    if (ours) {
      f.message = Field(L, top, "message");
      f.traceback = Field(L, top, "traceback");
      const std::string short_src = Field(L, top, "short_src");
      lua_getfield(L, top, "line");
      const int line = static_cast<int>(lua_tointeger(L, -1));
      lua_pop(L, 1);
      if (line > 0) {
        f.where = SourceLoc{ChunkFile(Field(L, top, "source")), line, 0};
        // Lua put the same place in front of its own messages.
        const std::string prefix = fmt::format("{}:{}: ", short_src, line);
        if (f.message.rfind(prefix, 0) == 0) f.message.erase(0, prefix.size());
      }
      lua_settop(L, top - 1);
      return f;
    }
  }
  // The handler itself failed (out of memory): the object is all there is.
  f.message = lua_isstring(L, top) ? lua_tostring(L, top) : "error";
  lua_settop(L, top - 1);
  return f;
}

// A syntax error: "chunk:line: message" is the only form lua_load gives.
Failure SyntaxFailure(lua_State* L, const std::string& file) {
  Failure f;
  f.message = lua_tostring(L, -1) ? lua_tostring(L, -1) : "cannot load";
  lua_pop(L, 1);
  const std::string prefix = file + ":";
  if (f.message.rfind(prefix, 0) == 0) {
    const size_t digits = f.message.find_first_not_of("0123456789", prefix.size());
    if (digits != std::string::npos && digits > prefix.size() && f.message[digits] == ':') {
      f.where = SourceLoc{file, std::stoi(f.message.substr(prefix.size())), 0};
      f.message.erase(0, digits + 1);
      if (!f.message.empty() && f.message[0] == ' ') f.message.erase(0, 1);
      return f;
    }
  }
  f.where = SourceLoc{file, 0, 0};
  return f;
}

// Only text chunks: precompiled bytecode can crash the VM.
int SafeLoad(lua_State* L) {
  size_t len = 0;
  const char* code = luaL_checklstring(L, 1, &len);
  const char* name = luaL_optstring(L, 2, "=(load)");
  int status = luaL_loadbufferx(L, code, len, name, "t");
  if (status != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  if (!lua_isnone(L, 4)) {  // env
    lua_pushvalue(L, 4);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  }
  return 1;
}

// Memory for one scenario's Lua: enough for any lesson, not for a runaway.
constexpr size_t kMemoryCap = size_t{512} << 20;
size_t g_used = 0;  // all scenario states of this process together

void* Allocate(void*, void* ptr, size_t old_size, size_t new_size) {
  if (ptr) g_used -= old_size;
  if (new_size == 0) {
    free(ptr);
    return nullptr;
  }
  if (g_used + new_size > kMemoryCap) {
    if (ptr) g_used += old_size;
    return nullptr;  // Lua raises "not enough memory"
  }
  void* p = realloc(ptr, new_size);
  g_used += p ? new_size : (ptr ? old_size : 0);
  return p;
}

// setmetatable without __gc: finalizers run with hooks off (and at close),
// out of reach of the time budget.
int SafeSetmetatable(lua_State* L) {
  if (lua_istable(L, 2) && lua_getfield(L, 2, "__gc") != LUA_TNIL)
    return luaL_error(L, "setmetatable: __gc finalizers are not allowed in scenario Lua");
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

// string.rep and table.move loop in C, where the count hook cannot stop
// them: refuse the sizes that would run for ever.
int SafeRep(lua_State* L) {
  size_t len = 0, sep = 0;
  luaL_checklstring(L, 1, &len);
  const lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &sep);
  if (n > 0 && (len + sep == 0 ? n > (1 << 24) : static_cast<double>(len + sep) * n > (64 << 20)))
    return luaL_error(L, "string.rep: the result would be too large");
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

int SafeMove(lua_State* L) {
  const lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
  if (e >= f && e - f > (1 << 24)) return luaL_error(L, "table.move: too many elements");
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// Replaces table.field by `fn`, which gets the original as upvalue 1.
void Wrap(lua_State* L, const char* table, const char* field, lua_CFunction fn) {
  if (table)
    lua_getglobal(L, table);
  else
    lua_pushglobaltable(L);
  lua_getfield(L, -1, field);
  lua_pushcclosure(L, fn, 1);
  lua_setfield(L, -2, field);
  lua_pop(L, 1);
}

// A C function (a pattern match that backtracks for ever) never returns to
// the count hook. When the budget is long past, the watchdog ends the
// process with a clear message rather than hanging: while loading, that is
// proclab (a bad file stops `check` and `run` anyway); while judging, it is
// the forked copy the judge runs in (run/contained_judge.h).
extern "C" void Watchdog(int) {
  static const char msg[] =
      "proclab: Lua stopped answering inside a library function "
      "(a pattern that backtracks for ever?)\n";
  ssize_t ignored = write(2, msg, sizeof msg - 1);
  (void)ignored;
  _exit(2);
}

void Remove(lua_State* L, const char* table, const char* field) {
  if (lua_getglobal(L, table) == LUA_TTABLE) {
    lua_pushnil(L);
    lua_setfield(L, -2, field);
  }
  lua_pop(L, 1);
}

}  // namespace

State* StateOf(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kStateKey);
  auto* s = static_cast<State*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return s;
}

std::unique_ptr<State> State::Create() {
  std::unique_ptr<State> s(new State());
  s->L_ = lua_newstate(Allocate, nullptr);
  if (!s->L_) return nullptr;
  lua_State* L = s->L_;
  lua_pushlightuserdata(L, s.get());
  lua_setfield(L, LUA_REGISTRYINDEX, kStateKey);
  // The allow-list: base, string, table, math, utf8, coroutine, and a safe
  // part of os. No io, no package/require, no debug.
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
      {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
      {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
      {LUA_OSLIBNAME, luaopen_os},
  };
  for (const auto& lib : libs) {
    luaL_requiref(L, lib.name, lib.func, 1);
    lua_pop(L, 1);
  }
  // getenv too: the runner's environment is nobody's business in a shared file.
  for (const char* f : {"execute", "exit", "remove", "rename", "tmpname", "setlocale", "getenv"})
    Remove(L, "os", f);
  Wrap(L, nullptr, "setmetatable", SafeSetmetatable);
  Wrap(L, "string", "rep", SafeRep);
  Wrap(L, "table", "move", SafeMove);
  for (const char* g : {"dofile", "loadfile", "require", "collectgarbage"}) {
    lua_pushnil(L);
    lua_setglobal(L, g);
  }
  lua_pushcfunction(L, SafeLoad);
  lua_setglobal(L, "load");
  return s;
}

State::~State() {
  if (L_) lua_close(L_);
}

void State::BudgetHook(lua_State* L, lua_Debug*) {
  lua_getfield(L, LUA_REGISTRYINDEX, kDeadlineKey);
  const int64_t deadline = lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (deadline > 0 && MonotonicUs() > deadline) {
    // From now on every instruction fails: a pcall may catch this error, but
    // the first instruction after it raises it again, outside.
    lua_sethook(L, BudgetHook, LUA_MASKCOUNT, 1);
    luaL_error(L, "the time budget for scenario Lua ran out (an endless loop?)");
  }
}

void State::DisableBudget() {
  lua_sethook(L_, nullptr, 0, 0);
  lua_pushinteger(L_, 0);
  lua_setfield(L_, LUA_REGISTRYINDEX, kDeadlineKey);
}

std::optional<Failure> State::Call(int nargs, int nresults, int64_t budget_us) {
  lua_State* L = L_;
  struct sigaction old_action {};
  if (budget_us > 0) {
    lua_pushinteger(L, MonotonicUs() + budget_us);
    lua_setfield(L, LUA_REGISTRYINDEX, kDeadlineKey);
    lua_sethook(L, BudgetHook, LUA_MASKCOUNT, 10000);
    struct sigaction sa {};
    sa.sa_handler = Watchdog;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old_action);
    itimerval t{};
    t.it_value.tv_sec = static_cast<time_t>(budget_us / 1000000 + 3);
    setitimer(ITIMER_REAL, &t, nullptr);
  }
  std::optional<Failure> failed = lua::Call(L, nargs, nresults);
  if (budget_us > 0) {
    itimerval off{};
    setitimer(ITIMER_REAL, &off, nullptr);
    sigaction(SIGALRM, &old_action, nullptr);
    lua_sethook(L, nullptr, 0, 0);
    lua_pushinteger(L, 0);
    lua_setfield(L, LUA_REGISTRYINDEX, kDeadlineKey);
  }
  return failed;
}

std::optional<Failure> State::Load(const std::string& path) {
  if (luaL_loadfilex(L_, path.c_str(), "t") != LUA_OK) return SyntaxFailure(L_, path);
  return std::nullopt;
}

std::optional<Failure> State::LoadString(const std::string& code, const std::string& name) {
  if (luaL_loadbufferx(L_, code.data(), code.size(), ("=" + name).c_str(), "t") != LUA_OK)
    return SyntaxFailure(L_, name);
  return std::nullopt;
}

std::string Failure::Describe() const {
  if (!where.Known() || where.line == 0) return message;
  return fmt::format("{}:{}: {}", where.file, where.line, message);
}

std::optional<Failure> Call(lua_State* L, int nargs, int nresults, bool keep_error) {
  const int base = lua_gettop(L) - nargs;  // the function's index
  luaL_newmetatable(L, kFailureKey);
  lua_pop(L, 1);
  lua_pushcfunction(L, RecordFailure);
  lua_insert(L, base);
  const int status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  if (status == LUA_OK) return std::nullopt;
  if (keep_error) {
    // Leave the original object for the caller to raise again.
    if (lua_istable(L, -1)) {
      Failure f;
      lua_getfield(L, -1, "message");
      f.message = lua_isstring(L, -1) ? lua_tostring(L, -1) : "error";
      lua_pop(L, 1);
      lua_getfield(L, -1, "object");
      lua_remove(L, -2);
      return f;
    }
    Failure f;
    f.message = lua_isstring(L, -1) ? lua_tostring(L, -1) : "error";
    return f;
  }
  return TakeFailure(L);
}

}  // namespace proclab::lua
