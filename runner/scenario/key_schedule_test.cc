#include "runner/scenario/key_schedule.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

TEST(KeySchedule, KeysAtTimesBecomeSleepsAndKeys) {
  auto keys = ParseKeySchedule("1s:ctrl-c,2.5s:ctrl-backslash,2500ms:ctrl-z,3s:ctrl-d");
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 4u);
  EXPECT_EQ((*keys)[0].at_us, 1'000'000);
  EXPECT_EQ((*keys)[0].key, "ctrl-c");
  EXPECT_EQ((*keys)[1].key, "ctrl-backslash");
  EXPECT_EQ((*keys)[2].at_us, 2'500'000);  // the same time as the one before: both at once
  EXPECT_EQ((*keys)[3].key, "ctrl-d");

  auto steps = KeySteps(*keys);
  ASSERT_EQ(steps.size(), 8u);
  const int64_t gaps[] = {1'000'000, 1'500'000, 0, 500'000};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(steps[2 * i].kind, Step::Kind::kSleep);
    EXPECT_EQ(steps[2 * i].us, gaps[i]) << i;
    EXPECT_EQ(steps[2 * i + 1].kind, Step::Kind::kKey);
    EXPECT_EQ(steps[2 * i + 1].key, (*keys)[i].key);
  }
}

// Each mistake is named by its entry and the part that is wrong.
TEST(KeySchedule, MistakesNameTheBadPart) {
  auto message = [](const char* text) {
    auto keys = ParseKeySchedule(text);
    EXPECT_FALSE(keys) << text;
    return keys ? std::string() : keys.error().message;
  };
  EXPECT_EQ(message("1s:ctrl-c,2s:ctrl-x"),
            "'2s:ctrl-x': 'ctrl-x' is not a key (write ctrl-c, ctrl-backslash, ctrl-z or ctrl-d); "
            "did you mean 'ctrl-c'?");
  EXPECT_EQ(message("1:ctrl-c"),
            "'1:ctrl-c': the time '1' is not a duration such as 300ms or 1.5s");
  EXPECT_EQ(message("ctrl-c"), "'ctrl-c' is not TIME:KEY (e.g. 1s:ctrl-c)");
  EXPECT_EQ(message("1s:ctrl-c,"),
            "an empty entry (a comma too many?): write TIME:KEY, e.g. 1s:ctrl-c");
  EXPECT_EQ(message("2s:ctrl-c,1s:ctrl-z"),
            "'1s:ctrl-z' comes before 2s (the key listed ahead of it): list the keys in time "
            "order");
  EXPECT_EQ(message(""), "no keys given (write TIME:KEY, e.g. 1s:ctrl-c)");
  // Negative control: the same entries, well written, are accepted.
  EXPECT_TRUE(ParseKeySchedule("1s:ctrl-c,2s:ctrl-z"));
  EXPECT_TRUE(ParseKeySchedule("1s : ctrl-c, 2s:ctrl-z"));  // spaces around the parts are fine
}

TEST(KeySchedule, TheKeysAreTheStepsKeys) {
  for (const std::string& key : KeyNames()) EXPECT_TRUE(ParseKeySchedule("0s:" + key)) << key;
}

}  // namespace
}  // namespace proclab
