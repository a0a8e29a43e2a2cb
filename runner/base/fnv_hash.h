// FNV-1a, 64 bits: the fingerprint of a grading's inputs (design.md §2.6).
// Not cryptographic. It tells accidental changes apart (two different
// inputs share a value with odds of about n²/2⁶⁵ for n inputs), it is a
// dozen lines with published test vectors, and no dependency of proclab's
// offers a hash. Fields are length-prefixed, so ("ab", "c") and ("a", "bc")
// differ.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace proclab {

class Fnv1a {
 public:
  // The raw bytes, as the published test vectors hash them.
  Fnv1a& Bytes(std::string_view bytes);
  // One field: its length, then its bytes.
  Fnv1a& Field(std::string_view field);
  Fnv1a& Field(uint64_t n) { return Field(std::to_string(n)); }

  [[nodiscard]] uint64_t value() const { return h_; }
  // 16 lowercase hex digits.
  [[nodiscard]] std::string Hex() const;

 private:
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace proclab
