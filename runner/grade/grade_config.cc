#include "runner/grade/grade_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/scenario/reader.h"
#include "runner/scenario/yaml_front_end.h"

namespace proclab {

bool GradeConfig::Hidden(const std::string& scenario) const {
  return std::find(hidden.begin(), hidden.end(), scenario) != hidden.end();
}

namespace {

// The commands written, over the defaults in `into`.
std::map<std::string, std::string> ReadCommands(const doc::Reader& r, const DocNode& node,
                                                const std::string& what,
                                                const std::map<std::string, std::string>& into) {
  if (!node.IsMap())
    r.Fail(
        node,
        fmt::format("{} maps a language to a command, e.g. {{c: \"cc -o prog {{entry}}\"}}", what));
  std::map<std::string, std::string> out = into;
  for (const auto& [key, value] : node.entries()) {
    const std::string language = r.String(*key, what + " language");
    const std::string command = r.String(*value, what + "." + language);
    if (command.empty()) r.Fail(*value, fmt::format("{}.{} is empty", what, language));
    out[language] = command;
  }
  return out;
}

GradeConfig Read(const doc::Reader& r, const DocNode& root, const std::string& path) {
  GradeConfig c;
  c.file = path;
  doc::Map m(r, root, "grade.yaml");
  if (auto v = m.Get("entry")) {
    c.entry = v->IsList() ? r.StringList(*v, "entry") : std::vector{r.String(*v, "entry")};
    if (c.entry.empty()) r.Fail(*v, "entry needs at least one glob, e.g. [main.py, \"*.py\"]");
  }
  if (auto v = m.Get("build")) c.build = ReadCommands(r, *v, "build", c.build);
  if (auto v = m.Get("run")) c.run = ReadCommands(r, *v, "run", c.run);
  if (auto v = m.Get("hidden")) c.hidden = r.StringList(*v, "hidden");
  if (auto v = m.Get("points")) {
    if (!v->IsMap()) r.Fail(*v, "points maps a scenario to its points, e.g. {zombie: 10}");
    for (const auto& [key, value] : v->entries()) {
      const std::string name = r.String(*key, "points scenario");
      const double p = r.Number(*value, "points." + name);
      if (p < 0) r.Fail(*value, fmt::format("points.{} must be 0 or more", name));
      c.points[name] = p;
    }
  }
  if (auto v = m.Get("rounding")) {
    c.rounding = r.Number(*v, "rounding");
    if (c.rounding <= 0) r.Fail(*v, "rounding must be more than 0, e.g. 0.5 or 1");
  }
  if (auto v = m.Get("build_timeout")) c.build_timeout_us = r.Duration(*v, "build_timeout");
  if (auto v = m.Get("max_unpacked")) c.max_unpacked = r.Size(*v, "max_unpacked");
  m.Done();
  return c;
}

}  // namespace

Result<GradeConfig> LoadGradeConfig(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error(fmt::format("cannot read {}", path));
  std::stringstream text;
  text << f.rdbuf();
  auto doc = ParseYamlDocument(text.str(), path);
  if (!doc) return doc.error();
  const DocNode* root = doc->root();
  if (!root || root->IsNull()) {
    GradeConfig defaults;
    defaults.file = path;
    return defaults;
  }
  try {
    doc::Reader r(path);
    return Read(r, *root, path);
  } catch (const doc::LoadError& e) {
    return e.error;
  }
}

std::string LanguageOf(const std::string& entry) {
  const std::string ext = std::filesystem::path(entry).extension().string();
  return ext.empty() ? "" : ext.substr(1);
}

std::string WithEntry(const std::string& command, const std::string& entry) {
  std::string out = command;
  for (size_t at = out.find("{entry}"); at != std::string::npos;
       at = out.find("{entry}", at + entry.size()))
    out.replace(at, 7, entry);
  return out;
}

}  // namespace proclab
