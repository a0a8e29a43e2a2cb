#include "runner/base/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

namespace proclab {

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

Result<Regex> Regex::Compile(std::string_view pattern) {
  int err = 0;
  PCRE2_SIZE offset = 0;
  // Invalid UTF-8 in a pattern is an error; in a subject it is matched bytewise.
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &offset, nullptr);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    return Error(fmt::format("invalid regular expression '{}': {} at offset {}", pattern,
                             reinterpret_cast<char*>(msg), offset));
  }
  Regex r;
  auto holder = std::make_shared<Code>();
  holder->code = code;
  r.code_ = std::move(holder);
  r.pattern_ = std::string(pattern);
  return r;
}

bool Regex::Search(std::string_view text) const {
  if (!code_) return false;
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code_->code, nullptr);
  int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0,
                       md, nullptr);
  pcre2_match_data_free(md);
  return rc >= 0;
}

bool Regex::HasGroup(const std::string& name) const {
  return code_ && pcre2_substring_number_from_name(code_->code,
                                                   reinterpret_cast<PCRE2_SPTR>(name.c_str())) >= 0;
}

std::optional<std::string> Regex::Capture(std::string_view text, const std::string& name) const {
  if (!code_) return std::nullopt;
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code_->code, nullptr);
  std::optional<std::string> out;
  if (pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, md,
                  nullptr) >= 0) {
    PCRE2_SIZE len = 0;
    if (pcre2_substring_length_byname(md, reinterpret_cast<PCRE2_SPTR>(name.c_str()), &len) == 0) {
      std::string buf(len + 1, '\0');
      PCRE2_SIZE size = buf.size();
      if (pcre2_substring_copy_byname(md, reinterpret_cast<PCRE2_SPTR>(name.c_str()),
                                      reinterpret_cast<PCRE2_UCHAR*>(buf.data()), &size) == 0) {
        buf.resize(size);
        out = std::move(buf);
      }
    }
  }
  pcre2_match_data_free(md);
  return out;
}

std::string Regex::Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace proclab
