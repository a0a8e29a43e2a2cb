// One Lua state for one scenario. Scenario Lua is shared between people, so
// it runs restricted: no os.execute, io.popen, C modules, bytecode loading
// or file access, and every protected call runs under a time budget that a
// count hook enforces (and keeps enforcing, so pcall cannot swallow it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "runner/base/error.h"
#include "scripting/lua_headers.h"

namespace proclab::lua {

class State {
 public:
  static std::unique_ptr<State> Create();
  ~State();
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  lua_State* L() const { return L_; }

  // The one entry into Lua: lua_pcall with a traceback handler, under the
  // time budget (0: none). On error the stack is back as it was minus the
  // function and its arguments, and the Error carries "file:line: message"
  // and the traceback.
  Status Call(int nargs, int nresults, int64_t budget_us);
  // Loads `path` as a text chunk (the scenario's own environment).
  Status Load(const std::string& path);
  // Loads a string as a text chunk named `name`.
  Status LoadString(const std::string& code, const std::string& name);

  // Actors run in forked processes bounded by the run's timeout: no budget.
  void DisableBudget();

 private:
  State() = default;
  static void BudgetHook(lua_State* L, lua_Debug* ar);
  lua_State* L_ = nullptr;
};

// The State behind a lua_State (set at creation).
State* StateOf(lua_State* L);

}  // namespace proclab::lua
