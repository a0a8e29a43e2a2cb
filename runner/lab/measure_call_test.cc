// lab.measure's request, as the lab decodes it: a value, and never a
// checkpoint name taken for one (or the other way round).
#include "runner/lab/measure_call.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

TEST(MeasureCall, RoundTripsAndRefusesWhatIsNotOne) {
  auto m = DecodeMeasure(EncodeMeasure({7, "lock_wait", 0.000123}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->pid, 7);
  EXPECT_EQ(m->name, "lock_wait");
  EXPECT_DOUBLE_EQ(m->value, 0.000123);
  EXPECT_FALSE(DecodeMeasure("after-fork")) << "a checkpoint name";
  EXPECT_FALSE(LooksLikeMeasure("after-fork"));
  EXPECT_FALSE(
      DecodeMeasure("\x01value\x01"
                    "7 x nan"));
  EXPECT_FALSE(
      DecodeMeasure("\x01value\x01"
                    "0 x 1"));
  EXPECT_FALSE(
      DecodeMeasure("\x01value\x01"
                    "7 1"));
}

}  // namespace
}  // namespace proclab
