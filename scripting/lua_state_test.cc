// lua::Call reports where a failure happened as fields, from the stack, not
// by reading the message: an error whose text merely looks like a place is
// not taken for one.
#include "scripting/lua_state.h"

#include <gtest/gtest.h>

namespace proclab::lua {
namespace {

std::optional<Failure> RunChunk(State& state, const std::string& code) {
  if (auto failed = state.LoadString(code, "scen.lua")) return failed;
  return state.Call(0, 0, 0);
}

TEST(LuaCall, ARuntimeErrorHasItsFileAndLineAsFields) {
  auto state = State::Create();
  auto failed = RunChunk(*state, "local x = 1\nlocal y = nil\nreturn y.field\n");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->where.file, "scen.lua");
  EXPECT_EQ(failed->where.line, 3);
  EXPECT_EQ(failed->message, "attempt to index a nil value (local 'y')");
  EXPECT_EQ(failed->Describe(), "scen.lua:3: attempt to index a nil value (local 'y')");
  EXPECT_NE(failed->traceback.find("stack traceback:"), std::string::npos);
}

TEST(LuaCall, AnErrorWithoutPositionStillGetsTheLineItWasRaisedOn) {
  auto state = State::Create();
  auto failed = RunChunk(*state, "\n\nerror('boom', 0)\n");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->where.line, 3);
  EXPECT_EQ(failed->message, "boom");
}

TEST(LuaCall, AMessageThatLooksLikeAPlaceIsNotTakenForOne) {
  auto state = State::Create();
  auto failed = RunChunk(*state, "local a = 1\nerror('scen.lua:99: not really here', 0)\n");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->where.line, 2);
  EXPECT_EQ(failed->message, "scen.lua:99: not really here");
}

TEST(LuaCall, ANonStringErrorIsNamed) {
  auto state = State::Create();
  auto failed = RunChunk(*state, "error({code = 1})\n");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->message, "(error object is a table value)");
}

TEST(LuaCall, KeepErrorLeavesTheOriginalObjectToRaiseAgain) {
  auto state = State::Create();
  lua_State* L = state->L();
  ASSERT_FALSE(state->LoadString("error({code = 7})", "scen.lua"));
  const int top = lua_gettop(L) - 1;
  auto failed = Call(L, 0, 0, /*keep_error=*/true);
  ASSERT_TRUE(failed);
  ASSERT_EQ(lua_gettop(L), top + 1);
  ASSERT_TRUE(lua_istable(L, -1));
  lua_getfield(L, -1, "code");
  EXPECT_EQ(lua_tointeger(L, -1), 7);
  lua_settop(L, top);
}

TEST(LuaCall, ASyntaxErrorHasItsLine) {
  auto state = State::Create();
  auto failed = state->LoadString("local t = {\n  a = 1\n  b = 2\n}\n", "scen.lua");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->where.file, "scen.lua");
  EXPECT_EQ(failed->where.line, 3);
  EXPECT_EQ(failed->message, "'}' expected (to close '{' at line 1) near 'b'");
}

TEST(LuaCall, SuccessLeavesTheResults) {
  auto state = State::Create();
  ASSERT_FALSE(state->LoadString("return 40 + 2", "scen.lua"));
  ASSERT_FALSE(state->Call(0, 1, 0));
  EXPECT_EQ(lua_tointeger(state->L(), -1), 42);
}

}  // namespace
}  // namespace proclab::lua
