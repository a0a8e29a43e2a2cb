#include "runner/lab/measure_call.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace proclab {
namespace {
constexpr std::string_view kPrefix = "\x01value\x01";
}

std::string EncodeMeasure(const MeasureCall& m) {
  return fmt::format("{}{} {} {:.17g}", kPrefix, m.pid, m.name, m.value);
}

bool LooksLikeMeasure(std::string_view name) { return name.starts_with(kPrefix); }

std::optional<MeasureCall> DecodeMeasure(std::string_view text) {
  if (!LooksLikeMeasure(text)) return std::nullopt;
  const std::string rest(text.substr(kPrefix.size()));
  const size_t a = rest.find(' '), b = rest.rfind(' ');
  if (a == std::string::npos || b == a) return std::nullopt;
  MeasureCall m;
  char* end = nullptr;
  m.pid = static_cast<pid_t>(std::strtol(rest.c_str(), &end, 10));
  if (end != rest.c_str() + a || m.pid <= 0) return std::nullopt;
  m.name = rest.substr(a + 1, b - a - 1);
  const std::string number = rest.substr(b + 1);
  m.value = std::strtod(number.c_str(), &end);
  if (m.name.empty() || end != number.c_str() + number.size() || !std::isfinite(m.value))
    return std::nullopt;
  return m;
}

}  // namespace proclab
