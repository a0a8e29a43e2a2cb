#include "tests/approval/approval.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace proclab::approval {
namespace fs = std::filesystem;

namespace {

fs::path Baseline(const std::string& name) {
  return fs::path(PROCLAB_TEST_DATA) / "approval" / "baselines" / (name + ".approved.txt");
}

bool Updating() {
  const char* v = std::getenv("PROCLAB_UPDATE_BASELINES");
  return v && std::string(v) == "1";
}

// The first line where two texts differ, for the failure message.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ha = static_cast<bool>(std::getline(a, la));
    const bool hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "they differ only in their final newline";
    if (!ha || !hb || la != lb)
      return "first difference at line " + std::to_string(line) +
             ":\n  approved: " + (ha ? la : "(end)") + "\n  received: " + (hb ? lb : "(end)");
  }
}

}  // namespace

::testing::AssertionResult MatchesBaseline(const std::string& name, const std::string& text) {
  const fs::path path = Baseline(name);
  if (Updating()) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return ::testing::AssertionSuccess();
  }
  std::ifstream f(path, std::ios::binary);
  if (!f)
    return ::testing::AssertionFailure()
           << "no baseline " << path << " (PROCLAB_UPDATE_BASELINES=1 writes it). Received:\n"
           << text;
  std::stringstream approved;
  approved << f.rdbuf();
  if (approved.str() == text) return ::testing::AssertionSuccess();
  const fs::path received = fs::temp_directory_path() / (name + ".received.txt");
  std::ofstream(received, std::ios::binary) << text;
  return ::testing::AssertionFailure()
         << path.filename() << " differs; " << FirstDifference(approved.str(), text)
         << "\n  whole output: " << received << " (diff it against the baseline)";
}

namespace {

bool Digit(const std::string& t, size_t i) {
  return i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]));
}
bool WordChar(const std::string& t, size_t i) {
  return i < t.size() && std::isalnum(static_cast<unsigned char>(t[i]));
}

// At `i`: "12.345s" as a whole word; returns its length, or 0.
size_t Seconds(const std::string& t, size_t i) {
  if ((i > 0 && WordChar(t, i - 1)) || !Digit(t, i)) return 0;
  size_t j = i;
  while (Digit(t, j)) ++j;
  if (j >= t.size() || t[j] != '.' || !Digit(t, j + 1)) return 0;
  ++j;
  while (Digit(t, j)) ++j;
  if (j >= t.size() || t[j] != 's' || WordChar(t, j + 1)) return 0;
  return j + 1 - i;
}

// At `i`: a JSON time field and its number; returns the key's length, or 0.
size_t TimeKey(const std::string& t, size_t i) {
  for (const std::string key : {"\"t_us\": ", "\"start_us\": ", "\"end_us\": "})
    if (t.compare(i, key.size(), key) == 0 && Digit(t, i + key.size())) return key.size();
  return 0;
}

}  // namespace

// By hand, not std::regex: GCC 12 warns inside <regex> under ASan.
std::string NormaliseTimes(std::string text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (size_t n = Seconds(text, i)) {
      out += "#.###s";
      i += n;
    } else if (size_t k = TimeKey(text, i)) {
      out += text.substr(i, k) + "#";
      i += k;
      while (Digit(text, i)) ++i;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace proclab::approval
