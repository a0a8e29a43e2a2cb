#include "runner/base/units.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

TEST(Units, Durations) {
  EXPECT_EQ(ParseDurationUs("250ms"), 250000);
  EXPECT_EQ(ParseDurationUs("1.5s"), 1500000);
  EXPECT_EQ(ParseDurationUs("2m"), 120000000);
  EXPECT_EQ(ParseDurationUs("5"), std::nullopt);
  EXPECT_EQ(ParseDurationUs("-1s"), std::nullopt);
  EXPECT_EQ(ParseDurationUs("1.2.3s"), std::nullopt);
}

}  // namespace
}  // namespace proclab
