// Regular expressions (PCRE2, UTF-8 mode) for output patterns.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runner/base/error.h"

namespace proclab {

class Regex {
 public:
  // The message of a failure says what is wrong and at which offset.
  static Result<Regex> Compile(std::string_view pattern);
  [[nodiscard]] bool Search(std::string_view text) const;
  // Whether the pattern has a named group `(?<name>…)`.
  [[nodiscard]] bool HasGroup(const std::string& name) const;
  // The text the named group captured in the first match in `text`;
  // nullopt when nothing matched or the group took no part in the match.
  [[nodiscard]] std::optional<std::string> Capture(std::string_view text,
                                                   const std::string& name) const;
  [[nodiscard]] const std::string& pattern() const { return pattern_; }

  // `text` with every regex metacharacter escaped.
  static std::string Escape(std::string_view text);

 private:
  struct Code;
  std::shared_ptr<const Code> code_;
  std::string pattern_;
};

}  // namespace proclab
