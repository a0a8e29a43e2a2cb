#include "runner/cli/cpus_flag.h"

#include <fmt/format.h>

#include <algorithm>

#include "runner/os/cpu_affinity.h"
#include "runner/timeline/usage.h"

namespace proclab::cli {

std::optional<std::vector<int>> ParseCpusFlag(const std::string& text) {
  const bool count = !text.empty() && std::all_of(text.begin(), text.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; });
  std::vector<int> list;
  int n = 0;
  if (count) {
    n = text.size() > 5 ? 100000 : std::stoi(text);
  } else {
    auto parsed = ParseCpuList(text);
    if (!parsed) {
      fmt::print(stderr,
                 "proclab: --cpus '{}': expected a number of CPUs (2) or a list of them (0,2 or "
                 "4-7)\n",
                 text);
      return std::nullopt;
    }
    list = *parsed;
  }
  auto chosen = os::ChooseCpus(n, list);
  if (!chosen) {
    fmt::print(stderr, "proclab: --cpus '{}': {}\n", text, chosen.error().message);
    return std::nullopt;
  }
  return *chosen;
}

}  // namespace proclab::cli
