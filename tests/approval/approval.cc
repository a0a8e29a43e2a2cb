#include "tests/approval/approval.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
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
      return "first difference at line " + std::to_string(line) + ":\n  approved: " +
             (ha ? la : "(end)") + "\n  received: " + (hb ? lb : "(end)");
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

std::string NormaliseTimes(std::string text) {
  static const std::regex seconds(R"re(\b\d+\.\d+s\b)re");
  static const std::regex micros(R"re(("(t_us|start_us|end_us)": )\d+)re");
  text = std::regex_replace(text, seconds, "#.###s");
  return std::regex_replace(text, micros, "$1#");
}

}  // namespace proclab::approval
