// Keys pressed at given times, written "1s:ctrl-c,2s:ctrl-backslash" (the
// `--keys` of `proclab trace`). They become the steps a scenario would have
// for them (sleep to the key's time, key, …), so one path presses every key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runner/base/error.h"
#include "runner/scenario/scenario.h"

namespace proclab {

struct TimedKey {
  int64_t at_us = 0;  // from when the steps start
  std::string key;    // one of KeyNames()
};

// Comma-separated TIME:KEY entries in time order (equal times are allowed);
// TIME is a duration as in scenarios ("300ms", "1.5s"). An error names the
// entry and the part of it that is wrong.
Result<std::vector<TimedKey>> ParseKeySchedule(std::string_view text);

// The steps that press `keys` at their times: each key is a sleep (for the
// gap since the key before it) and the key itself.
std::vector<Step> KeySteps(const std::vector<TimedKey>& keys);

}  // namespace proclab
