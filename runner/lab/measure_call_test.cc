// lab.measure's request, as the lab decodes it: a name and a finite number,
// nothing else.
#include "runner/lab/measure_call.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

TEST(MeasureCall, RoundTripsAndRefusesWhatIsNotOne) {
  auto m = DecodeMeasure(EncodeMeasure({"lock_wait", 0.000123}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "lock_wait");
  EXPECT_DOUBLE_EQ(m->value, 0.000123);
  EXPECT_EQ(DecodeMeasure("a b 2")->name, "a b") << "the number is after the last space";
  EXPECT_FALSE(DecodeMeasure("x nan"));
  EXPECT_FALSE(DecodeMeasure("x 1e999"));
  EXPECT_FALSE(DecodeMeasure("x 1.5s"));
  EXPECT_FALSE(DecodeMeasure("x "));
  EXPECT_FALSE(DecodeMeasure(" 1"));
  EXPECT_FALSE(DecodeMeasure("1"));
}

}  // namespace
}  // namespace proclab
