// lab.kill, lab.signal, lab.alarm, lab.pause.
//
// Lua handlers never run inside the kernel's signal context. The C handler
// only records the signal and arms a Lua hook (lua_sethook is safe to call
// from a signal handler); the hook runs the Lua handler at the next
// instruction — Python's model. Blocking calls (sleep, pause, wait, recv,
// get, acquire) return early and run it at once.
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

#include "runner/base/signal_names.h"
#include "scripting/lab_library.h"

namespace proclab::lua {
namespace {

constexpr const char* kHandlersKey = "lab.handlers";  // registry: sig -> function

volatile sig_atomic_t g_pending[NSIG];
volatile sig_atomic_t g_any;
lua_State* volatile g_L = nullptr;

void Hook(lua_State* L, lua_Debug*) {
  lua_sethook(L, nullptr, 0, 0);
  RunPendingHandlers(L);
}

extern "C" void OnSignal(int sig) {
  g_pending[sig] = 1;
  g_any = 1;
  if (g_L) lua_sethook(g_L, Hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

int Kill(lua_State* L) {
  RequireActor(L, "lab.kill");
  const pid_t pid = static_cast<pid_t>(luaL_checkinteger(L, 1));
  const int sig = CheckSignal(L, 2);
  if (kill(pid, sig) != 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "kill %d %s: %s (%s)", static_cast<int>(pid), SignalName(sig).c_str(), strerror(errno),
                    strerrorname_np(errno));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

int Signal(lua_State* L) {
  RequireActor(L, "lab.signal");
  const int sig = CheckSignal(L, 1);
  if (sig == SIGKILL || sig == SIGSTOP) return luaL_argerror(L, 1, "SIGKILL and SIGSTOP cannot be caught or ignored");
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  lua_getfield(L, LUA_REGISTRYINDEX, kHandlersKey);
  if (lua_isfunction(L, 2)) {
    sa.sa_handler = OnSignal;  // no SA_RESTART: blocking calls return to run the handler
    lua_pushvalue(L, 2);
  } else {
    const char* what = luaL_checkstring(L, 2);
    if (strcmp(what, "ignore") == 0) sa.sa_handler = SIG_IGN;
    else if (strcmp(what, "default") == 0) sa.sa_handler = SIG_DFL;
    else return luaL_argerror(L, 2, "a function, \"ignore\" or \"default\"");
    lua_pushnil(L);
  }
  lua_rawseti(L, -2, sig);
  lua_pop(L, 1);
  g_L = L;
  sigaction(sig, &sa, nullptr);
  return 0;
}

int Alarm(lua_State* L) {
  RequireActor(L, "lab.alarm");
  const double seconds = luaL_checknumber(L, 1);
  if (seconds < 0 || !std::isfinite(seconds)) return luaL_argerror(L, 1, "a duration in seconds");
  itimerval t{}, old{};
  t.it_value.tv_sec = static_cast<time_t>(seconds);
  t.it_value.tv_usec = static_cast<suseconds_t>(std::fmod(seconds, 1.0) * 1e6);
  setitimer(ITIMER_REAL, &t, &old);
  lua_pushnumber(L, static_cast<double>(old.it_value.tv_sec) + old.it_value.tv_usec / 1e6);
  return 1;
}

int Pause(lua_State* L) {
  RequireActor(L, "lab.pause");
  pause();
  RunPendingHandlers(L);
  return 0;
}

}  // namespace

bool SignalsPending() { return g_any != 0; }

void RunPendingHandlers(lua_State* L) {
  while (g_any) {
    g_any = 0;
    for (int sig = 1; sig < NSIG; ++sig) {
      if (!g_pending[sig]) continue;
      g_pending[sig] = 0;
      lua_getfield(L, LUA_REGISTRYINDEX, kHandlersKey);
      lua_rawgeti(L, -1, sig);
      lua_remove(L, -2);
      if (!lua_isfunction(L, -1)) {
        lua_pop(L, 1);
        continue;
      }
      lua_pushstring(L, SignalName(sig).c_str());
      lua_call(L, 1, 0);  // an error in a handler ends the actor, as in Python
    }
  }
}

void OpenSignalFunctions(lua_State* L) {
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kHandlersKey);
  static const luaL_Reg fns[] = {
      {"kill", Kill}, {"signal", Signal}, {"alarm", Alarm}, {"pause", Pause}, {nullptr, nullptr},
  };
  luaL_setfuncs(L, fns, 0);
}

// In a forked child: its own pending set, the parent's handlers.
void ResetPendingSignals() {
  for (int sig = 1; sig < NSIG; ++sig) g_pending[sig] = 0;
  g_any = 0;
}

}  // namespace proclab::lua
