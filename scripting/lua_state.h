// One Lua state for one scenario. Scenario Lua is shared between people, so
// it runs restricted: no os.execute, io.popen, C modules, bytecode loading
// or file access, and every protected call runs under a time budget that a
// count hook enforces (and keeps enforcing, so pcall cannot swallow it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "runner/base/error.h"
#include "scripting/lua_headers.h"

namespace proclab::lua {

// Why a call into Lua (or loading a chunk) failed, as fields: the message
// without its position, where the error was raised (the innermost Lua
// function on the stack, or the syntax error's line), and the traceback.
struct Failure {
  std::string message;
  SourceLoc where;  // file and line; unknown for an error raised in C with no Lua caller
  std::string traceback;
  // "file:line: message", or the message alone.
  [[nodiscard]] std::string Describe() const;
  [[nodiscard]] Error ToError() const { return Error(message, where); }
};

// The one entry into Lua code: a protected call of the function below the
// `nargs` arguments on top of `L`'s stack, with a handler that records the
// failure's place and traceback. On failure the function and its arguments
// are gone from the stack and nothing was pushed. With `keep_error`, the
// original error object is left on the stack instead (for a wrapper that
// must re-raise it unchanged once it has restored its own state).
[[nodiscard]] std::optional<Failure> Call(lua_State* L, int nargs, int nresults,
                                          bool keep_error = false);

class State {
 public:
  static std::unique_ptr<State> Create();
  ~State();
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  [[nodiscard]] lua_State* L() const { return L_; }

  // lua::Call on the main thread, under a time budget (0: none) that a
  // count hook enforces and a watchdog backs up.
  [[nodiscard]] std::optional<Failure> Call(int nargs, int nresults, int64_t budget_us);
  // Loads `path` as a text chunk (the scenario's own environment) and
  // pushes it; a syntax error is a Failure at its line.
  [[nodiscard]] std::optional<Failure> Load(const std::string& path);
  // Loads a string as a text chunk named `name` (its file, for messages).
  [[nodiscard]] std::optional<Failure> LoadString(const std::string& code, const std::string& name);

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
