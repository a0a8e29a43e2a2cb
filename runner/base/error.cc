#include "runner/base/error.h"

#include <fmt/format.h>

namespace proclab {

std::string Error::Describe() const {
  if (!loc.Known()) return message;
  if (loc.line == 0) return fmt::format("{}: {}", loc.file, message);
  if (loc.column == 0) return fmt::format("{}:{}: {}", loc.file, loc.line, message);
  return fmt::format("{}:{}:{}: {}", loc.file, loc.line, loc.column, message);
}

}  // namespace proclab
