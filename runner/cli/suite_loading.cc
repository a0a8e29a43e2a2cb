#include "runner/cli/suite_loading.h"

#include <fmt/format.h>

#include "runner/base/diagnostic.h"

namespace proclab::cli {

bool LoadSuite(const std::vector<std::string>& paths, Loaded* loaded) {
  std::vector<std::string> where = paths;
  if (where.empty()) {
    std::string library = ShippedLibrary();
    if (library.empty()) {
      fmt::print(stderr, "proclab: no PATH given and no shipped scenario library was found\n");
      return false;
    }
    where.push_back(library);
  }
  auto files = FindScenarioFiles(where);
  if (!files) {
    fmt::print(stderr, "proclab: {}\n", files.error().message);
    return false;
  }
  *loaded = LoadScenarioFiles(*files);
  for (const auto& e : loaded->errors) fmt::print(stderr, "{}", RenderDiagnostic(e));
  if (!loaded->errors.empty())
    fmt::print(stderr, "proclab: {} invalid scenario file{}; nothing was run\n",
               loaded->errors.size(), loaded->errors.size() == 1 ? "" : "s");
  return loaded->errors.empty();
}

}  // namespace proclab::cli
