// Lua scenarios end to end: every lab function (tests/lua/*.lua state their
// own expectations), the restricted environment, and Lua expectations.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {

std::string LuaTest(const std::string& name) {
  return std::string(PROCLAB_TEST_DATA) + "/lua/" + name;
}

class LabLibrary : public ::testing::TestWithParam<std::string> {};

TEST_P(LabLibrary, EveryFunctionDoesWhatItSays) {
  Ran r = Proclab({"run", LuaTest(GetParam())});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

INSTANTIATE_TEST_SUITE_P(Files, LabLibrary,
                         ::testing::Values("processes.lua", "signals.lua", "ipc.lua", "sync.lua",
                                           "shared.lua", "pool.lua", "pool_cleanup.lua",
                                           "usage.lua", "values.lua"),
                         [](const auto& info) {
                           return info.param.substr(0, info.param.find('.'));
                         });

struct Refusal {
  const char* file;
  const char* says;
};

class Restricted : public ::testing::TestWithParam<Refusal> {};

// Scenario Lua is shared between people: these files are refused at load,
// with exit 2, naming the file (and line, where Lua knows it).
TEST_P(Restricted, IsRefusedWithItsReason) {
  const Refusal& r = GetParam();
  Ran ran = Proclab({"check", LuaTest(std::string("refused/") + r.file)});
  EXPECT_EQ(ran.status, 2) << ran.out << ran.err;
  EXPECT_NE(ran.err.find(r.says), std::string::npos) << ran.err;
  EXPECT_NE(ran.err.find(r.file), std::string::npos) << ran.err;
}

INSTANTIATE_TEST_SUITE_P(
    Files, Restricted,
    ::testing::Values(
        Refusal{"os-execute.lua", ":2:1: error: attempt to call a nil value (field 'execute')"},
        Refusal{"io-popen.lua", "attempt to index a nil value (global 'io')"},
        Refusal{"require-c-module.lua", "attempt to call a nil value (global 'require')"},
        Refusal{"bytecode.lua", "attempt to load a binary chunk"},
        Refusal{"endless-loop.lua", "the time budget for scenario Lua ran out"},
        Refusal{"fork-at-load.lua", "lab.fork works only inside an actor"},
        Refusal{"syntax-error.lua", ":4:1: error: '}' expected"},
        Refusal{"unknown-key.lua",
                "expect[1].exit: unknown key 'cod' in exit; did you mean 'code'?"},
        Refusal{"no-start.lua", "Lua tables have no order"},
        Refusal{"function-elsewhere.lua", "steps[1]: a function is allowed only as an actor"}),
    [](const auto& info) {
      std::string name = info.param.file;
      name = name.substr(0, name.find('.'));
      for (char& c : name)
        if (c == '-') c = '_';
      return name;
    });

TEST(LuaRuns, AnActorsErrorIsItsExitStatusAndItsStderr) {
  Ran r = Proclab({"run", LuaTest("refused/runtime-error-in-actor.lua")});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("main (pid 2) exited with code 1"), std::string::npos) << r.out;
}

TEST(LuaRuns, YamlLuaExpressionsJudgeTheTimeline) {
  Ran ok = Proclab({"run", std::string(PROCLAB_TEST_DATA) + "/scenarios/lua-expression.yaml"});
  EXPECT_EQ(ok.status, 0) << ok.out;
  Ran wrong =
      Proclab({"run", std::string(PROCLAB_TEST_DATA) + "/scenarios/lua-expression-wrong.yaml"});
  EXPECT_EQ(wrong.status, 1);
  EXPECT_NE(wrong.out.find("main exited 1"), std::string::npos) << wrong.out;
  EXPECT_NE(wrong.out.find("attempt to call a nil value (method 'no_such_method')"),
            std::string::npos);
  EXPECT_NE(wrong.out.find("the time budget for scenario Lua ran out"), std::string::npos);
}

// Why §5: an expectation stuck inside a C function (no count hook fires
// there) used to end proclab with exit 2 and no report. Now it fails alone,
// with its reason, the other scenario passes, and the report is written.
TEST(LuaRuns, AStuckExpectationFailsOnlyItsScenario) {
  const std::string report = ::testing::TempDir() + "/contained.json";
  Ran r = Proclab({"run", "--jobs", "2", LuaTest("contained"), "--report", "console", "--report",
                   "json:" + report});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("✓ fine-judge"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("✗ stuck-judge"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the expectation's code stopped: it exited (2) without an answer: Lua "
                       "stopped answering inside a library function"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("2 runs: 1 passed, 1 failed"), std::string::npos) << r.out;
  std::ifstream f(report);
  const std::string json((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(json.find("stopped answering inside a library function"), std::string::npos) << json;
}

TEST(LuaRuns, ShippedLuaLessonsPass) {
  Ran r = Proclab({"run", "--jobs", "2", std::string(PROCLAB_SOURCE_DIR) + "/scenarios/lua"});
  EXPECT_EQ(r.status, 0) << r.out;
}

}  // namespace
}  // namespace proclab::testing
