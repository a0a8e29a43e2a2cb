// A syntax scenarios can be written in. YAML is built in (yaml_front_end.h);
// Lua is given by scripting/. Discovery is handed the front-ends it may use.
#pragma once

#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/scenario/scenario.h"

namespace proclab {

class ScenarioFrontEnd {
 public:
  virtual ~ScenarioFrontEnd() = default;
  // The file extensions of this syntax, with their dot: {".yaml", ".yml"}.
  [[nodiscard]] virtual std::vector<std::string> Extensions() const = 0;
  // Loads and validates one file; every mistake names file:line:column.
  [[nodiscard]] virtual Result<Scenario> Load(const std::string& path) const = 0;
};

}  // namespace proclab
