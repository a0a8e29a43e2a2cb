#include "runner/cli/suite_loading.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "runner/base/diagnostic.h"
#include "runner/base/fnv_hash.h"
#include "runner/os/process_ops.h"
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

namespace {

// Every file relative to the first PATH it lies in; a file named directly
// is its own root.
void SetSuitePaths(const std::vector<std::string>& roots, std::vector<Scenario>* scenarios) {
  namespace fs = std::filesystem;
  std::vector<std::pair<fs::path, bool>> canon;  // (root, is a folder)
  for (const auto& r : roots) {
    std::error_code ec;
    canon.emplace_back(fs::weakly_canonical(r, ec), fs::is_directory(r, ec));
  }
  for (auto& s : *scenarios) {
    std::error_code ec;
    const fs::path file = fs::weakly_canonical(s.file, ec);
    s.suite_path = file.filename().string();
    for (const auto& [root, folder] : canon) {
      if (!folder) {
        if (root == file) break;
        continue;
      }
      const fs::path rel = file.lexically_relative(root);
      if (!rel.empty() && *rel.begin() != "..") {
        s.suite_path = rel.generic_string();
        break;
      }
    }
  }
}

std::string FileHash(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << f.rdbuf();
  return Fnv1a().Bytes(bytes.str()).Hex();
}

}  // namespace

SuitePlan PlanOf(const Loaded& loaded, std::vector<const Scenario*>* chosen, int repeat,
                 const std::vector<std::string>& options) {
  std::sort(chosen->begin(), chosen->end(), [](const Scenario* a, const Scenario* b) {
    return std::tie(a->suite_path, a->name) < std::tie(b->suite_path, b->name);
  });
  SuitePlan plan;
  std::map<std::string, std::string> hashes;  // file -> hash
  Fnv1a suite;
  std::vector<const Scenario*> all;
  for (const auto& s : loaded.scenarios) all.push_back(&s);
  std::sort(all.begin(), all.end(), [](const Scenario* a, const Scenario* b) {
    return std::tie(a->suite_path, a->name) < std::tie(b->suite_path, b->name);
  });
  for (const Scenario* s : all) {
    auto [it, fresh] = hashes.emplace(s->file, "");
    if (fresh) it->second = FileHash(s->file);
    suite.Field(s->suite_path).Field(s->name).Field(it->second);
  }
  plan.suite = suite.Hex();
  Fnv1a flags;
  for (const auto& o : options) flags.Field(o);
  plan.options = flags.Hex();
  plan.repeat = repeat;
  for (const Scenario* s : *chosen)
    plan.scenarios.push_back({s->name, s->suite_path, hashes[s->file]});
  return plan;
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
  SetSuitePaths(where, &loaded->scenarios);
  for (const auto& e : loaded->errors) fmt::print(stderr, "{}", RenderDiagnostic(e));
  if (!loaded->errors.empty())
    fmt::print(stderr, "proclab: {} invalid scenario file{}; nothing was run\n",
               loaded->errors.size(), loaded->errors.size() == 1 ? "" : "s");
  return loaded->errors.empty();
}

}  // namespace proclab::cli
