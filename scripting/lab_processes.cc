// lab.fork, exec, getpid, getppid, exit, wait, waitpid, sleep, nice,
// setsid, checkpoint.
#include <errno.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "runner/base/signal_names.h"
#include "runner/lab/actor_calls.h"
#include "scripting/lab_library.h"

namespace proclab::lua {
namespace {

// {code=N} or {signal="SIGTERM", core=false}
void PushStatus(lua_State* L, int status) {
  lua_newtable(L);
  if (WIFEXITED(status)) {
    lua_pushinteger(L, WEXITSTATUS(status));
    lua_setfield(L, -2, "code");
  } else if (WIFSIGNALED(status)) {
    lua_pushstring(L, SignalName(WTERMSIG(status)).c_str());
    lua_setfield(L, -2, "signal");
    lua_pushboolean(L, WCOREDUMP(status));
    lua_setfield(L, -2, "core");
  } else if (WIFSTOPPED(status)) {
    lua_pushstring(L, SignalName(WSTOPSIG(status)).c_str());
    lua_setfield(L, -2, "stopped");
  }
}

int Failure(lua_State* L, int err, const char* what) {
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s (%s)", what, strerror(err), strerrorname_np(err));
  return 2;
}

int Fork(lua_State* L) {
  RequireActor(L, "lab.fork");
  luaL_checktype(L, 1, LUA_TFUNCTION);
  std::string name;
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "name");
    if (!lua_isnil(L, -1)) name = luaL_checkstring(L, -1);
    lua_pop(L, 1);
  }
  if (name.empty()) name = NextChildName(L);
  NameNextChild(name);
  pid_t pid = fork();
  if (pid < 0) return Failure(L, errno, "fork");
  if (pid == 0) {
    BecomeChild(L, name);
    lua_settop(L, 1);
    _exit(RunActorFunction(L));
  }
  lua_pushinteger(L, pid);
  return 1;
}

int Exec(lua_State* L) {
  RequireActor(L, "lab.exec");
  luaL_checktype(L, 1, LUA_TTABLE);
  std::vector<std::string> args;
  for (lua_Integer i = 1; i <= static_cast<lua_Integer>(lua_rawlen(L, 1)); ++i) {
    lua_rawgeti(L, 1, i);
    args.emplace_back(luaL_checkstring(L, -1));
    lua_pop(L, 1);
  }
  if (args.empty()) return luaL_argerror(L, 1, "exec needs the command to run");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  return Failure(L, errno, fmt::format("exec {}", args[0]).c_str());
}

int GetPid(lua_State* L) {
  lua_pushinteger(L, getpid());
  return 1;
}

int GetPpid(lua_State* L) {
  lua_pushinteger(L, getppid());
  return 1;
}

int Exit(lua_State* L) {
  RequireActor(L, "lab.exit");
  _exit(static_cast<int>(luaL_optinteger(L, 1, 0) & 0xff));
}

// waitpid that runs signal handlers when a signal interrupts it.
int DoWait(lua_State* L, pid_t pid, int options) {
  RunPendingHandlers(L);  // a signal that came just before
  int status = 0;
  for (;;) {
    pid_t got = waitpid(pid, &status, options);
    if (got >= 0) {
      lua_pushinteger(L, got);
      if (got == 0) return 1;  // WNOHANG and nothing yet
      PushStatus(L, status);
      return 2;
    }
    if (errno != EINTR)
      return Failure(L, errno, pid < 0 ? "wait" : fmt::format("waitpid {}", pid).c_str());
    RunPendingHandlers(L);
  }
}

int Wait(lua_State* L) {
  RequireActor(L, "lab.wait");
  return DoWait(L, -1, 0);
}

int WaitPid(lua_State* L) {
  RequireActor(L, "lab.waitpid");
  const pid_t pid = static_cast<pid_t>(luaL_checkinteger(L, 1));
  int options = 0;
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "nohang");
    if (lua_toboolean(L, -1)) options |= WNOHANG;
    lua_pop(L, 1);
  }
  return DoWait(L, pid, options);
}

// Sleeps the whole time; signal handlers run when a signal cuts it short.
int Sleep(lua_State* L) {
  RequireActor(L, "lab.sleep");
  const double seconds = luaL_checknumber(L, 1);
  if (seconds < 0 || !std::isfinite(seconds)) return luaL_argerror(L, 1, "a duration in seconds");
  timespec left{static_cast<time_t>(seconds), static_cast<long>(std::fmod(seconds, 1.0) * 1e9)};
  RunPendingHandlers(L);
  while (nanosleep(&left, &left) != 0 && errno == EINTR) RunPendingHandlers(L);
  return 0;
}

int Nice(lua_State* L) {
  RequireActor(L, "lab.nice");
  errno = 0;
  int now = nice(static_cast<int>(luaL_checkinteger(L, 1)));
  if (now == -1 && errno) return Failure(L, errno, "nice");
  lua_pushinteger(L, now);
  return 1;
}

int Setsid(lua_State* L) {
  RequireActor(L, "lab.setsid");
  pid_t sid = setsid();
  if (sid < 0) return Failure(L, errno, "setsid");
  lua_pushinteger(L, sid);
  return 1;
}

// Seconds on the monotonic clock: for measuring, not for dates.
int Now(lua_State* L) {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9);
  return 1;
}

int Checkpoint(lua_State* L) {
  RequireActor(L, "lab.checkpoint");
  actor::Checkpoint(luaL_checkstring(L, 1));
  return 0;
}

}  // namespace

void OpenProcessFunctions(lua_State* L) {
  static const luaL_Reg fns[] = {
      {"fork", Fork},     {"exec", Exec},     {"getpid", GetPid},         {"getppid", GetPpid},
      {"exit", Exit},     {"wait", Wait},     {"waitpid", WaitPid},       {"sleep", Sleep},
      {"nice", Nice},     {"setsid", Setsid}, {"checkpoint", Checkpoint}, {"now", Now},
      {nullptr, nullptr},
  };
  luaL_setfuncs(L, fns, 0);
}

}  // namespace proclab::lua
