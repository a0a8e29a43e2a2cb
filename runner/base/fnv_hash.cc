#include "runner/base/fnv_hash.h"

#include <fmt/format.h>

namespace proclab {

Fnv1a& Fnv1a::Bytes(std::string_view bytes) {
  for (unsigned char c : bytes) {
    h_ ^= c;
    h_ *= 0x100000001b3ULL;
  }
  return *this;
}

Fnv1a& Fnv1a::Field(std::string_view field) {
  Bytes(std::to_string(field.size()));
  Bytes(":");
  return Bytes(field);
}

std::string Fnv1a::Hex() const { return fmt::format("{:016x}", h_); }

}  // namespace proclab
