// Values measured from output and by Lua actors, end to end: the shipped
// flock lesson and its negative control (the same program without the
// lock), and lab.measure / lab.lock with their control.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {

const std::string kLesson =
    std::string(PROCLAB_SOURCE_DIR) + "/scenarios/python/lock-contention/flock-sections.yaml";
const std::string kProgram =
    std::string(PROCLAB_SOURCE_DIR) + "/scenarios/python/lock-contention/flock_sections.py";

bool Says(const Ran& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

TEST(FlockSectionsLesson, PassesWithTheLock) {
  Ran r = Proclab({"run", kLesson});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST(FlockSectionsLesson, WithoutTheLockTheSectionsOverlapAndNobodyWaits) {
  Ran r = Proclab({"run", "--program", "/usr/bin/python3 " + kProgram + " nolock", kLesson});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_TRUE(Says(r, "✗ sections:")) << r.out;
  EXPECT_TRUE(Says(r, "inside at once (at most 1 allowed)")) << r.out;
  EXPECT_TRUE(Says(r, "while worker (pid ")) << r.out;
  EXPECT_TRUE(Says(r, "✗ compare: {left: 'max(wait)'")) << r.out;
  EXPECT_TRUE(Says(r, "does not hold")) << r.out;
}

TEST(LuaValues, ControlBreaksSectionsValueAndCompare) {
  Ran r = Proclab({"run", std::string(PROCLAB_TEST_DATA) + "/lua/values-control.lua"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_TRUE(Says(r, "3 inside at once (at most 1 allowed): 2 overlaps")) << r.out;
  EXPECT_TRUE(Says(r, "the one value of 'answer' is not at most 41: 42 by main (pid 2) at "))
      << r.out;
  EXPECT_TRUE(Says(r, "42 < 40 does not hold")) << r.out;
  EXPECT_TRUE(Says(r, "2 other expectations held")) << r.out;
}

}  // namespace
}  // namespace proclab::testing
