// Durations ("250ms", "1.5s", "2m") and sizes ("64KiB", "1MiB") as users write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace proclab {

// Microseconds. Accepts us, ms, s, m, h suffixes and fractions ("1.5s"). No
// suffix is an error: "5" is ambiguous.
std::optional<int64_t> ParseDurationUs(std::string_view text);
// "250ms", "1.5s", "2m" — the shortest faithful form.
std::string FormatDuration(int64_t us);
// Seconds with millisecond precision, for timelines: "0.312".
std::string FormatSeconds(int64_t us);
// The same with its unit, for sentences: "0.312s".
std::string FormatInstant(int64_t us);

// Bytes. Accepts B, KiB, MiB, GiB, KB, MB, GB (powers of 1000) or a plain number.
std::optional<int64_t> ParseSize(std::string_view text);
std::string FormatSize(int64_t bytes);

}  // namespace proclab
