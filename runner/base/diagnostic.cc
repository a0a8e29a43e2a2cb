#include "runner/base/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "runner/base/text.h"

namespace proclab {
namespace {

std::string LineOf(std::string_view source, int line) {
  int current = 1;
  size_t start = 0;
  while (current < line) {
    size_t nl = source.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
    ++current;
  }
  size_t end = source.find('\n', start);
  return std::string(source.substr(start, end == std::string_view::npos ? end : end - start));
}

// Optimal string alignment distance: a swap of two neighbours costs 1, so
// SIGTREM is one step from SIGTERM (and two from SIGTRAP).
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// Terminal cells a character takes: two for East Asian wide ones.
int CellWidth(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                 (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                 (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                 (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
                 (cp >= 0x20000 && cp <= 0x3FFFD)
             ? 2
             : 1;
}

}  // namespace

std::string RenderDiagnostic(const Error& error, std::string_view source) {
  std::string out;
  // What a file says is shown, never obeyed: escape sequences stay visible.
  const std::string message = EscapeControls(error.message);
  const std::string file = EscapeControls(error.loc.file, false);
  if (error.loc.Known())
    out = error.loc.line ? fmt::format("{}:{}:{}: error: {}\n", file, error.loc.line,
                                       std::max(error.loc.column, 1), message)
                         : fmt::format("{}: error: {}\n", file, message);
  else
    out = fmt::format("error: {}\n", message);
  if (!error.loc.Known() || error.loc.line == 0) return out;
  std::string text(source);
  if (text.empty()) {
    std::ifstream f(error.loc.file);
    std::stringstream s;
    s << f.rdbuf();
    text = s.str();
  }
  std::string line = LineOf(text, error.loc.line);
  if (line.empty() && text.empty()) return out;
  std::string number = std::to_string(error.loc.line);
  std::string pad(number.size(), ' ');
  // The caret goes under the column (counted in characters), tabs kept and
  // wide characters taking two cells; a very long line is cut around it.
  size_t start = 0, col_byte = 0;
  std::string under;
  int col = 1;
  for (size_t i = 0; i < line.size() && col < error.loc.column;) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    uint32_t cp = c;
    if (len > 1 && i + len <= line.size()) {
      cp = c & (0xFF >> (len + 1));
      for (size_t k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(line[i + k]) & 0x3F);
    }
    // A control character is shown escaped (\x1b), four cells wide.
    const int cells = c < 0x20 || c == 0x7f ? EscapedWidth(line, i) : CellWidth(cp);
    under += c == '\t' ? std::string("\t") : std::string(static_cast<size_t>(cells), ' ');
    i += len;
    col_byte = i;
    ++col;
  }
  if (line.size() > 200) {
    start = col_byte > 80 ? col_byte - 80 : 0;
    while (start > 0 && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80) --start;
    size_t end = std::min(line.size(), col_byte + 80);
    while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) ++end;
    // The caret keeps its place relative to what is shown.
    size_t drop_cells = 0;
    for (size_t i = 0; i < start;) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      ++drop_cells;
    }
    under = under.substr(std::min(under.size(), drop_cells));
    line = (start ? "…" : "") + line.substr(start, end - start) + (end < line.size() ? "…" : "");
    if (start) under = " " + under;
  }
  out += fmt::format(" {} | {}\n {} | {}^\n", number, EscapeControls(line, false), pad, under);
  return out;
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  // A typo, not a different word: at most a third of the letters changed…
  if (best_d != std::string::npos && best_d <= std::max<size_t>(2, word.size() / 3)) return best;
  // …or the right word inside a longer one ("exitcode" for "code").
  for (const auto& c : candidates)
    if (c.size() >= 3 && word.find(c) != std::string_view::npos) return c;
  return {};
}

}  // namespace proclab
