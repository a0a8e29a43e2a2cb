#include "runner/base/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

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

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string RenderDiagnostic(const Error& error, std::string_view source) {
  std::string out;
  if (error.loc.Known())
    out = error.loc.line ? fmt::format("{}:{}:{}: error: {}\n", error.loc.file, error.loc.line,
                                       std::max(error.loc.column, 1), error.message)
                         : fmt::format("{}: error: {}\n", error.loc.file, error.message);
  else
    out = fmt::format("error: {}\n", error.message);
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
  // The caret goes under the column, counted in characters, with tabs kept.
  std::string under;
  int col = 1;
  for (size_t i = 0; i < line.size() && col < error.loc.column; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    under += c == '\t' ? '\t' : ' ';
    ++col;
  }
  out += fmt::format(" {} | {}\n {} | {}^\n", number, line, pad, under);
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
