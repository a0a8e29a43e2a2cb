#include <gtest/gtest.h>

#include "runner/lab/lab_session.h"

namespace proclab {
namespace {

TEST(Smoke, Hello) {
  LabConfig c;
  c.argv = {PROCLAB_TRACEE_DIR "/hello"};
  auto t = RunLab(c);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->summary.lab_error.empty()) << t->summary.lab_error;
}

}  // namespace
}  // namespace proclab
