#include "scripting/lab_serialize.h"

#include <gtest/gtest.h>

#include "scripting/lua_state.h"

namespace proclab::lua {
namespace {

class Serialize : public ::testing::Test {
 protected:
  void SetUp() override { state_ = State::Create(); }
  lua_State* L() { return state_->L(); }
  // Evaluates `expr`, encodes it, decodes it, and returns the decoded value
  // rendered by the Lua function `render`.
  std::string RoundTrip(const std::string& expr, const std::string& render) {
    EXPECT_FALSE(state_->LoadString("return " + expr, "expr"));
    EXPECT_FALSE(state_->Call(0, 1, 0));
    std::string bytes, why;
    EXPECT_TRUE(Encode(L(), -1, &bytes, &why)) << why;
    lua_pop(L(), 1);
    EXPECT_TRUE(Decode(L(), bytes));
    lua_setglobal(L(), "v");
    EXPECT_FALSE(state_->LoadString("return " + render, "render"));
    EXPECT_FALSE(state_->Call(0, 1, 0));
    std::string out = lua_tostring(L(), -1) ? lua_tostring(L(), -1) : "(not a string)";
    lua_pop(L(), 1);
    return out;
  }
  std::string Refusal(const std::string& expr) {
    EXPECT_FALSE(state_->LoadString("local t = {} t.me = t return " + expr, "expr"));
    EXPECT_FALSE(state_->Call(0, 1, 0));
    std::string bytes, why;
    EXPECT_FALSE(Encode(L(), -1, &bytes, &why));
    lua_pop(L(), 1);
    return why;
  }
  std::unique_ptr<State> state_;
};

TEST_F(Serialize, ValuesSurviveTheTrip) {
  EXPECT_EQ(RoundTrip("nil", "tostring(v)"), "nil");
  EXPECT_EQ(RoundTrip("true", "tostring(v)"), "true");
  EXPECT_EQ(RoundTrip("42", "math.type(v) .. v"), "integer42");
  EXPECT_EQ(RoundTrip("2.5", "math.type(v) .. v"), "float2.5");
  EXPECT_EQ(RoundTrip("'a\\0b'", "#v .. v:sub(3)"), "3b");
  EXPECT_EQ(
      RoundTrip("{1, 2, {x = 'y'}, flag = false}", "v[1] + v[2] .. v[3].x .. tostring(v.flag)"),
      "3yfalse");
  // a table shared twice (not a cycle) is copied twice
  EXPECT_EQ(RoundTrip("(function() local s = {1} return {s, s} end)()", "v[1][1] + v[2][1]"), "2");
}

TEST_F(Serialize, UnsendableValuesSayWhy) {
  EXPECT_NE(Refusal("function() end").find("a function cannot be sent"), std::string::npos);
  EXPECT_NE(Refusal("t").find("contains itself"), std::string::npos);
  EXPECT_NE(Refusal("{ok = 1, bad = coroutine.create(print)}").find("a thread cannot be sent"),
            std::string::npos);
}

TEST_F(Serialize, MalformedBytesAreRefused) {
  const int top = lua_gettop(L());
  EXPECT_FALSE(Decode(L(), "s\xff\xff\xff\x7f"));   // a string longer than the bytes
  EXPECT_FALSE(Decode(L(), "x"));                   // unknown tag
  EXPECT_FALSE(Decode(L(), "t\x01\x00\x00\x00n"));  // a nil key
  EXPECT_FALSE(Decode(L(), "TT"));                  // trailing bytes
  EXPECT_EQ(lua_gettop(L()), top);                  // nothing left behind
  EXPECT_TRUE(Decode(L(), "T"));
}

}  // namespace
}  // namespace proclab::lua
