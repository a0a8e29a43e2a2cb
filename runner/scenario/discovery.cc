#include "runner/scenario/discovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace proclab {
namespace fs = std::filesystem;

namespace {

const ScenarioFrontEnd* FrontEndOf(const fs::path& p, const FrontEnds& front_ends) {
  const std::string ext = p.extension().string();
  for (const ScenarioFrontEnd* f : front_ends)
    for (const auto& e : f->Extensions())
      if (e == ext) return f;
  return nullptr;
}

std::string Patterns(const FrontEnds& front_ends) {
  std::string out;
  for (const ScenarioFrontEnd* f : front_ends)
    for (const auto& e : f->Extensions()) out += fmt::format("{}*{}", out.empty() ? "" : ", ", e);
  return out;
}

}  // namespace

Result<std::vector<std::string>> FindScenarioFiles(const std::vector<std::string>& paths,
                                                   const FrontEnds& front_ends) {
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
      // A grading suite's grade.yaml is its configuration, not a scenario.
      if (it->is_regular_file() && FrontEndOf(it->path(), front_ends) &&
          it->path().filename() != "grade.yaml")
        found.push_back(it->path().string());
    }
    if (found.empty())
      return Error(fmt::format("{}: no scenario files ({}) here", path, Patterns(front_ends)));
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

Loaded LoadScenarioFiles(const std::vector<std::string>& files, const FrontEnds& front_ends) {
  Loaded loaded;
  std::map<std::string, std::string> seen;  // name -> file
  for (const auto& file : files) {
    // A file named on the command line with another extension is read in
    // the first syntax (YAML).
    const ScenarioFrontEnd* front_end = FrontEndOf(file, front_ends);
    if (!front_end && !front_ends.empty()) front_end = front_ends.front();
    if (!front_end) {
      loaded.errors.push_back(Error(fmt::format("{}: no syntax to read it in", file)));
      continue;
    }
    Result<Scenario> s = front_end->Load(file);
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
