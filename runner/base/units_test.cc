#include "runner/base/units.h"

#include <gtest/gtest.h>

#include <cstdint>

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

TEST(Units, DurationSuffixes) {
  EXPECT_EQ(ParseDurationUs("250us"), 250);
  EXPECT_EQ(ParseDurationUs("3s"), 3000000);
  EXPECT_EQ(ParseDurationUs("2min"), 120000000);
  EXPECT_EQ(ParseDurationUs("1h"), int64_t{3600000000});
  EXPECT_EQ(ParseDurationUs("0.5ms"), 500);
  EXPECT_EQ(ParseDurationUs(".5s"), 500000);
  EXPECT_EQ(ParseDurationUs("0s"), 0);
  EXPECT_EQ(ParseDurationUs("5 ms"), 5000);  // a space before the unit is allowed
}

TEST(Units, DurationRejects) {
  for (const char* bad :
       {"",     "ms",   "s",     ".",      ".s",    "1e3s",   "1E3ms",      "-5ms",
        "+5ms", "5",    "5sec",  "5mss",   "5Ms",   "5MS",    "5 m s",      "5ms ",
        " 5ms", "5m5s", "1..5s", "0x10ms", "inf s", "nan ms", "9999999999h"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseDurationUs(bad), std::nullopt);
  }
}

TEST(Units, FormatDuration) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(7), "7us");
  EXPECT_EQ(FormatDuration(250000), "250ms");
  EXPECT_EQ(FormatDuration(1500000), "1.5s");
  EXPECT_EQ(FormatDuration(3000000), "3s");
  EXPECT_EQ(FormatDuration(61000000), "61s");
  EXPECT_EQ(FormatDuration(120000000), "2m");
  EXPECT_EQ(FormatDuration(int64_t{3600000000}), "60m");
  // Negative control: the format does not round a minute and a bit to minutes.
  EXPECT_NE(FormatDuration(60500000), "1m");
}

TEST(Units, FormatDurationRoundTripsSimpleValues) {
  for (int64_t us :
       {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1000}, int64_t{250000}, int64_t{1500000},
        int64_t{2250000}, int64_t{60000000}, int64_t{90000000}, int64_t{3600000000}}) {
    SCOPED_TRACE(us);
    EXPECT_EQ(ParseDurationUs(FormatDuration(us)), us);
  }
}

TEST(Units, FormatDurationIsFaithfulAboveOneSecond) {
  EXPECT_EQ(FormatDuration(1000001), "1.000001s");
  for (int64_t us : {int64_t{1000001}, int64_t{1234567}, int64_t{12345678}}) {
    SCOPED_TRACE(us);
    EXPECT_EQ(ParseDurationUs(FormatDuration(us)), us);
  }
}

TEST(Units, FormatSeconds) {
  EXPECT_EQ(FormatSeconds(0), "0.000");
  EXPECT_EQ(FormatSeconds(312000), "0.312");
  EXPECT_EQ(FormatSeconds(1234567), "1.234");  // truncated to the millisecond
  EXPECT_EQ(FormatSeconds(999), "0.000");
  EXPECT_EQ(FormatSeconds(5000), "0.005");
  EXPECT_EQ(FormatSeconds(61000000), "61.000");
  EXPECT_EQ(FormatSeconds(-1500), "-0.001");
  EXPECT_EQ(FormatSeconds(-2500000), "-2.500");
  EXPECT_NE(FormatSeconds(1000), "0.1");  // always three decimals
}

TEST(Units, Sizes) {
  EXPECT_EQ(ParseSize("64KiB"), 65536);
  EXPECT_EQ(ParseSize("1MiB"), 1048576);
  EXPECT_EQ(ParseSize("1GiB"), int64_t{1} << 30);
  EXPECT_EQ(ParseSize("1.5KiB"), 1536);
  EXPECT_EQ(ParseSize("2K"), 2048);
  EXPECT_EQ(ParseSize("2M"), 2 * 1048576);
  EXPECT_EQ(ParseSize("1KB"), 1000);
  EXPECT_EQ(ParseSize("1kB"), 1000);
  EXPECT_EQ(ParseSize("2MB"), 2000000);
  EXPECT_EQ(ParseSize("3GB"), int64_t{3000000000});
  EXPECT_EQ(ParseSize("10B"), 10);
  EXPECT_EQ(ParseSize("10"), 10);
  EXPECT_EQ(ParseSize("4 KiB"), 4096);
}

TEST(Units, SizeRejects) {
  for (const char* bad :
       {"", "KiB", "B", "-1KiB", "+1KiB", "1e3", "1.5B", "0.3", "1kib", "1KIB", "1Kib", "1KiBs",
        "1 K B", "1mb", "1Mb", "1TiB", "10000000GiB", "1.2.3MiB"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseSize(bad), std::nullopt);
  }
}

TEST(Units, FormatSize) {
  EXPECT_EQ(FormatSize(0), "0B");
  EXPECT_EQ(FormatSize(1000), "1000B");
  EXPECT_EQ(FormatSize(1536), "1536B");
  EXPECT_EQ(FormatSize(65536), "64KiB");
  EXPECT_EQ(FormatSize(1048576), "1MiB");
  EXPECT_EQ(FormatSize(3 * 1048576 + 1024), "3073KiB");
  EXPECT_EQ(FormatSize(int64_t{1} << 30), "1GiB");
  EXPECT_NE(FormatSize(1048577), "1MiB");
  for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{1023}, int64_t{1024}, int64_t{1536},
                    int64_t{1048577}, int64_t{5} << 30}) {
    SCOPED_TRACE(n);
    EXPECT_EQ(ParseSize(FormatSize(n)), n);
  }
}

}  // namespace
}  // namespace proclab
