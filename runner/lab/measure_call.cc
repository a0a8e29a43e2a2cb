#include "runner/lab/measure_call.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace proclab {

std::string EncodeMeasure(const MeasureCall& m) {
  return fmt::format("{} {:.17g}", m.name, m.value);
}

std::optional<MeasureCall> DecodeMeasure(std::string_view text) {
  const size_t space = text.rfind(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  MeasureCall m;
  m.name = std::string(text.substr(0, space));
  const std::string number(text.substr(space + 1));
  char* end = nullptr;
  m.value = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(m.value))
    return std::nullopt;
  return m;
}

}  // namespace proclab
