#include "runner/base/units.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace proclab {
namespace {

// Splits "1.5s" into 1.5 and "s". Rejects signs, exponents and empty numbers.
bool SplitNumber(std::string_view text, double* number, std::string_view* suffix) {
  size_t i = 0;
  bool digits = false, dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!digits) return false;
  std::string num(text.substr(0, i));
  char* end = nullptr;
  *number = std::strtod(num.c_str(), &end);
  if (end != num.c_str() + num.size() || !std::isfinite(*number)) return false;
  std::string_view rest = text.substr(i);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  *suffix = rest;
  return true;
}

}  // namespace

std::optional<int64_t> ParseDurationUs(std::string_view text) {
  double n = 0;
  std::string_view unit;
  if (!SplitNumber(text, &n, &unit)) return std::nullopt;
  double scale = 0;
  if (unit == "us")
    scale = 1;
  else if (unit == "ms")
    scale = 1e3;
  else if (unit == "s")
    scale = 1e6;
  else if (unit == "m" || unit == "min")
    scale = 60e6;
  else if (unit == "h")
    scale = 3600e6;
  else
    return std::nullopt;
  double us = n * scale;
  if (us > 9.0e15) return std::nullopt;  // more than a century: certainly a typo
  return static_cast<int64_t>(std::llround(us));
}

std::string FormatDuration(int64_t us) {
  if (us % 60000000 == 0 && us >= 60000000) return fmt::format("{}m", us / 60000000);
  if (us % 1000000 == 0) return fmt::format("{}s", us / 1000000);
  if (us >= 1000000) {
    // Exact to the microsecond: "1.5s", "1.000001s".
    std::string frac = fmt::format("{:06}", us % 1000000);
    while (frac.back() == '0') frac.pop_back();
    return fmt::format("{}.{}s", us / 1000000, frac);
  }
  if (us % 1000 == 0) return fmt::format("{}ms", us / 1000);
  return fmt::format("{}us", us);
}

std::string FormatSeconds(int64_t us) {
  return fmt::format("{}{}.{:03}", us < 0 ? "-" : "", std::llabs(us) / 1000000,
                     (std::llabs(us) / 1000) % 1000);
}

std::string FormatInstant(int64_t us) { return FormatSeconds(us) + "s"; }

std::optional<int64_t> ParseSize(std::string_view text) {
  double n = 0;
  std::string_view unit;
  if (!SplitNumber(text, &n, &unit)) return std::nullopt;
  double scale = 0;
  if (unit.empty() || unit == "B")
    scale = 1;
  else if (unit == "KiB" || unit == "K")
    scale = 1024.0;
  else if (unit == "MiB" || unit == "M")
    scale = 1024.0 * 1024;
  else if (unit == "GiB" || unit == "G")
    scale = 1024.0 * 1024 * 1024;
  else if (unit == "KB" || unit == "kB")
    scale = 1e3;
  else if (unit == "MB")
    scale = 1e6;
  else if (unit == "GB")
    scale = 1e9;
  else
    return std::nullopt;
  double bytes = n * scale;
  if (bytes > 9.0e15 || bytes != std::floor(bytes)) return std::nullopt;
  return static_cast<int64_t>(bytes);
}

std::string FormatSize(int64_t bytes) {
  constexpr int64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;
  if (bytes >= kGiB && bytes % kGiB == 0) return fmt::format("{}GiB", bytes / kGiB);
  if (bytes >= kMiB && bytes % kMiB == 0) return fmt::format("{}MiB", bytes / kMiB);
  if (bytes >= kKiB && bytes % kKiB == 0) return fmt::format("{}KiB", bytes / kKiB);
  return fmt::format("{}B", bytes);
}

}  // namespace proclab
