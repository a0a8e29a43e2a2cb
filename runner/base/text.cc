#include "runner/base/text.h"

#include <fmt/format.h>

namespace proclab {
namespace {

bool IsC1(std::string_view t, size_t i) {
  return static_cast<unsigned char>(t[i]) == 0xC2 && i + 1 < t.size() &&
         static_cast<unsigned char>(t[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(t[i + 1]) <= 0x9F;
}

}  // namespace

std::string EscapeControls(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' && keep_newlines) {
      out += '\n';
    } else if (c == '\t') {
      out += '\t';
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else if (IsC1(text, i)) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[i + 1]));
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

int EscapedWidth(std::string_view text, size_t i) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  if ((c & 0xC0) == 0x80) return 0;
  if (c == '\t') return 1;
  if (c == '\n' || c == '\r') return 2;
  if (c < 0x20 || c == 0x7f) return 4;
  if (IsC1(text, i)) return 6;
  return 1;
}

}  // namespace proclab
