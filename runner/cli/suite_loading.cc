#include "runner/cli/suite_loading.h"

#include <fmt/format.h>

#include <filesystem>

#include "runner/base/diagnostic.h"
#include "runner/os/self_location.h"
#include "runner/scenario/yaml_front_end.h"
#include "scripting/lua_scripting.h"

namespace proclab::cli {

std::string DataDir() {
  if (std::string installed = os::InstalledDataDir("proclab"); !installed.empty()) return installed;
  // Only the binary the build made, where it made it, may use the source
  // tree: an installed or copied binary must never run a checkout's files.
  if (os::RunningFrom(PROCLAB_BUILD_DIR)) return PROCLAB_SOURCE_DIR;
  return {};
}

std::string ShippedLibrary() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (std::string data = DataDir(); !data.empty())
    candidates.push_back(fs::path(data) / "scenarios");
  candidates.push_back("scenarios");
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return fs::weakly_canonical(c).string();
  }
  return {};
}

const FrontEnds& SyntaxesWeRead() {
  static const YamlFrontEnd yaml;
  static const FrontEnds all = {&yaml, &LuaFrontEnd()};
  return all;
}

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
  auto files = FindScenarioFiles(where, SyntaxesWeRead());
  if (!files) {
    fmt::print(stderr, "proclab: {}\n", files.error().message);
    return false;
  }
  *loaded = LoadScenarioFiles(*files, SyntaxesWeRead());
  for (const auto& e : loaded->errors) fmt::print(stderr, "{}", RenderDiagnostic(e));
  if (!loaded->errors.empty())
    fmt::print(stderr, "proclab: {} invalid scenario file{}; nothing was run\n",
               loaded->errors.size(), loaded->errors.size() == 1 ? "" : "s");
  return loaded->errors.empty();
}

}  // namespace proclab::cli
