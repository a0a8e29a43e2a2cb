// lab.kill, lab.signal, lab.alarm, lab.pause.
//
// Lua handlers never run inside the kernel's signal context. The C handler
// only records the signal and arms a Lua hook (lua_sethook is safe to call
// from a signal handler); the hook runs the Lua handler at the next
// instruction — Python's model. Blocking calls (sleep, pause, wait, recv,
// get, acquire) return early and run it at once.
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

#include "runner/base/signal_names.h"
#include "scripting/lab_library.h"
#include "scripting/lua_state.h"

namespace proclab::lua {
namespace {

constexpr const char* kHandlersKey = "lab.handlers";  // registry: sig -> function

volatile sig_atomic_t g_pending[NSIG];
volatile sig_atomic_t g_any;
// The Lua thread running now (the actor's main thread, or a coroutine it
// resumed): the one whose next instruction must run the handler.
lua_State* volatile g_running = nullptr;
// A futex word a blocking call sleeps on, so a signal can wake it at once.
uint32_t* volatile g_waiting_on = nullptr;

void Hook(lua_State* L, lua_Debug*) {
  lua_sethook(L, nullptr, 0, 0);
  RunPendingHandlers(L);
}

extern "C" void OnSignal(int sig) {
  g_pending[sig] = 1;
  g_any = 1;
  if (g_running) lua_sethook(g_running, Hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
  if (uint32_t* word = g_waiting_on) {
    __atomic_add_fetch(word, 1, __ATOMIC_SEQ_CST);  // a spurious change: waiters look again
    syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
  }
}

// coroutine.resume, keeping track of which thread runs.
int Resume(lua_State* L) {
  lua_State* co = lua_tothread(L, 1);
  lua_State* before = g_running;
  if (co) g_running = co;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  const bool failed = Call(L, lua_gettop(L) - 1, LUA_MULTRET, /*keep_error=*/true).has_value();
  g_running = before;
  if (failed) return lua_error(L);
  return lua_gettop(L);
}

int Kill(lua_State* L) {
  RequireActor(L, "lab.kill");
  const pid_t pid = static_cast<pid_t>(luaL_checkinteger(L, 1));
  const int sig = CheckSignal(L, 2);
  if (kill(pid, sig) != 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "kill %d %s: %s (%s)", static_cast<int>(pid), SignalName(sig).c_str(),
                    strerror(errno), strerrorname_np(errno));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

int Signal(lua_State* L) {
  RequireActor(L, "lab.signal");
  const int sig = CheckSignal(L, 1);
  if (sig == SIGKILL || sig == SIGSTOP)
    return luaL_argerror(L, 1, "SIGKILL and SIGSTOP cannot be caught or ignored");
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  lua_getfield(L, LUA_REGISTRYINDEX, kHandlersKey);
  if (lua_isfunction(L, 2)) {
    sa.sa_handler = OnSignal;  // no SA_RESTART: blocking calls return to run the handler
    lua_pushvalue(L, 2);
  } else {
    const char* what = luaL_checkstring(L, 2);
    if (strcmp(what, "ignore") == 0)
      sa.sa_handler = SIG_IGN;
    else if (strcmp(what, "default") == 0)
      sa.sa_handler = SIG_DFL;
    else
      return luaL_argerror(L, 2, "a function, \"ignore\" or \"default\"");
    lua_pushnil(L);
  }
  if (sigaction(sig, &sa, nullptr) != 0)
    return luaL_error(L, "lab.signal: %s cannot be handled: %s", SignalName(sig).c_str(),
                      strerror(errno));
  lua_rawseti(L, -2, sig);
  lua_pop(L, 1);
  return 0;
}

int Alarm(lua_State* L) {
  RequireActor(L, "lab.alarm");
  const double seconds = luaL_checknumber(L, 1);
  if (seconds < 0 || !std::isfinite(seconds)) return luaL_argerror(L, 1, "a duration in seconds");
  itimerval t{}, old{};
  t.it_value.tv_sec = static_cast<time_t>(seconds);
  t.it_value.tv_usec = static_cast<suseconds_t>(std::fmod(seconds, 1.0) * 1e6);
  if (seconds > 0 && t.it_value.tv_sec == 0 && t.it_value.tv_usec == 0)
    t.it_value.tv_usec = 1;  // 0 would cancel
  setitimer(ITIMER_REAL, &t, &old);
  lua_pushnumber(L, static_cast<double>(old.it_value.tv_sec) + old.it_value.tv_usec / 1e6);
  return 1;
}

// pause() that cannot miss a signal arriving just before it: signals are
// blocked while it looks for pending handlers, and sigsuspend unblocks and
// waits in one step.
int Pause(lua_State* L) {
  RequireActor(L, "lab.pause");
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  if (!g_any) sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, nullptr);
  RunPendingHandlers(L);
  return 0;
}

}  // namespace

bool SignalsPending() { return g_any != 0; }

void SetWaitingOn(uint32_t* word) { g_waiting_on = word; }

// Each handler runs in a coroutine of its own: code inside a Lua hook may
// not be hooked again, and a handler may fork a child that must be.
void RunPendingHandlers(lua_State* L) {
  while (g_any) {
    g_any = 0;
    for (int sig = 1; sig < NSIG; ++sig) {
      if (!g_pending[sig]) continue;
      g_pending[sig] = 0;
      luaL_checkstack(L, 4, "signal handler");
      lua_State* co = lua_newthread(L);
      lua_getfield(L, LUA_REGISTRYINDEX, kHandlersKey);
      lua_rawgeti(L, -1, sig);
      lua_remove(L, -2);
      if (!lua_isfunction(L, -1)) {
        lua_pop(L, 2);
        continue;
      }
      lua_xmove(L, co, 1);
      lua_pushstring(co, SignalName(sig).c_str());
      lua_State* before = g_running;
      g_running = co;
      int nres = 0;
      const int status = lua_resume(co, L, 1, &nres);
      g_running = before;
      if (status != LUA_OK && status != LUA_YIELD) {
        lua_xmove(co, L, 1);  // an error in a handler ends the actor, as in Python
        lua_remove(L, -2);
        lua_error(L);
      }
      lua_pop(L, 1);  // the coroutine
    }
  }
}

void TrackRunningThread(lua_State* L) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
  g_running = lua_tothread(L, -1);
  lua_pop(L, 1);
  // coroutine.resume notes which thread runs; wrap is rebuilt on it.
  lua_getglobal(L, "coroutine");
  lua_getfield(L, -1, "resume");
  lua_pushcclosure(L, Resume, 1);
  lua_setfield(L, -2, "resume");
  lua_pop(L, 1);
  static const char kWrap[] =
      "coroutine.wrap = function(f) local co = coroutine.create(f) return function(...) "
      "local r = table.pack(coroutine.resume(co, ...)) if not r[1] then error(r[2], 0) end "
      "return table.unpack(r, 2, r.n) end end";
  if (luaL_dostring(L, kWrap) != LUA_OK) lua_pop(L, 1);
}

void SetRunningThread(lua_State* L) { g_running = L; }

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
