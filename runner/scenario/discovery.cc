#include "runner/scenario/discovery.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "runner/scenario/lua_loader_hook.h"
#include "runner/scenario/yaml_loader.h"

namespace proclab {
namespace fs = std::filesystem;

namespace {

bool IsScenarioFile(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".lua";
}

std::string ExeDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

}  // namespace

std::string ShippedLibrary() {
  std::vector<fs::path> candidates;
  if (std::string exe = ExeDir(); !exe.empty()) {
    candidates.push_back(fs::path(exe) / ".." / "scenarios");
    candidates.push_back(fs::path(exe) / ".." / "share" / "proclab" / "scenarios");
  }
  candidates.push_back(fs::path(PROCLAB_SOURCE_DIR) / "scenarios");
  candidates.push_back("scenarios");
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return fs::weakly_canonical(c).string();
  }
  return {};
}

Result<std::vector<std::string>> FindScenarioFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& path : paths) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return Error(fmt::format("{}: no such file or folder", path));
    if (fs::is_regular_file(status)) {
      out.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(
             path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      // Files next to a scenario that are not scenarios (programs, data) live
      // in folders the scenario names; only the extensions above count.
      if (it->is_regular_file() && IsScenarioFile(it->path())) found.push_back(it->path().string());
    }
    if (found.empty())
      return Error(fmt::format("{}: no scenario files (*.yaml, *.yml, *.lua) here", path));
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

Loaded LoadScenarioFiles(const std::vector<std::string>& files) {
  Loaded loaded;
  std::map<std::string, std::string> seen;  // name -> file
  for (const auto& file : files) {
    Result<Scenario> s =
        fs::path(file).extension() == ".lua" ? LoadLuaScenarioFile(file) : LoadYamlScenario(file);
    if (!s) {
      loaded.errors.push_back(s.error());
      continue;
    }
    if (auto it = seen.find(s->name); it != seen.end()) {
      loaded.errors.push_back(
          Error(fmt::format("scenario '{}' is also defined in {}", s->name, it->second), s->loc));
      continue;
    }
    seen[s->name] = file;
    loaded.scenarios.push_back(std::move(*s));
  }
  return loaded;
}

}  // namespace proclab
