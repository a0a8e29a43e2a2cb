// Approval tests, as Catch2 has them: a whole output is compared with a
// stored baseline (tests/approval/baselines/NAME.approved.txt) after what
// legitimately varies (times, pids) is normalised. To accept new output after
// an intended change:
//   PROCLAB_UPDATE_BASELINES=1 ctest -R Approval
// then review `git diff tests/approval` before committing.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace proclab::approval {

::testing::AssertionResult MatchesBaseline(const std::string& name, const std::string& text);

// "0.123s" and "12.5s" → "#.###s"; "t_us": 123 → "t_us": #.
std::string NormaliseTimes(std::string text);

}  // namespace proclab::approval
