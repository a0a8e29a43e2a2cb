// YAML scenario files (docs/design.md §3). libyaml's event parser builds the
// document tree (doc.h) in one pass; every mistake is an Error naming
// file:line:column, and nothing is run from a file that did not load.
#pragma once

#include <string>
#include <string_view>

#include "runner/base/error.h"
#include "runner/scenario/doc.h"
#include "runner/scenario/front_end.h"
#include "runner/scenario/scenario.h"

namespace proclab {

class YamlFrontEnd : public ScenarioFrontEnd {
 public:
  [[nodiscard]] std::vector<std::string> Extensions() const override { return {".yaml", ".yml"}; }
  [[nodiscard]] Result<Scenario> Load(const std::string& path) const override;
};

Result<Scenario> LoadYamlScenario(const std::string& path);
// For tests and the fuzzer: `text` as if read from `path`.
Result<Scenario> ParseYamlScenario(std::string_view text, const std::string& path);
// The first YAML document of `text` as a tree; aliases are the anchored node.
Result<Document> ParseYamlDocument(std::string_view text, const std::string& path);

}  // namespace proclab
