#include "runner/cli/suite_loading.h"

#include <fmt/format.h>

#include <filesystem>

#include "runner/base/diagnostic.h"
#include "runner/os/process_ops.h"
#include "runner/scenario/yaml_front_end.h"
#include "scripting/lua_scripting.h"

namespace proclab::cli {

std::string ShippedLibrary() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (std::string exe = os::OwnExecutable(); !exe.empty()) {
    const fs::path dir = fs::path(exe).parent_path();
    candidates.push_back(dir / ".." / "scenarios");
    candidates.push_back(dir / ".." / "share" / "proclab" / "scenarios");
  }
  candidates.push_back(fs::path(PROCLAB_SOURCE_DIR) / "scenarios");
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
