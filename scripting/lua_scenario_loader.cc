// Lua scenarios: the file returns the same table a YAML scenario describes;
// actors and expectations may be functions.
#include <fmt/format.h>

#include "runner/scenario/read_parts.h"
#include "runner/scenario/validate.h"
#include "scripting/lab_library.h"
#include "scripting/lua_document.h"
#include "scripting/lua_scenario.h"
#include "scripting/lua_scripting.h"

namespace proclab {
namespace {

constexpr int64_t kLoadBudgetUs = 2'000'000;

Result<Scenario> LoadLuaScenarioFile(const std::string& path) {
  auto state = lua::State::Create();
  if (!state) return Error("cannot create a Lua state", SourceLoc{path, 0, 0});
  lua_State* L = state->L();
  lua::OpenLabLibrary(L);
  if (auto failed = state->Load(path)) return failed->ToError();
  if (auto failed = state->Call(0, 1, kLoadBudgetUs)) {
    Error e = failed->ToError();
    if (!e.loc.Known()) e.loc = SourceLoc{path, 0, 0};
    return e;
  }
  if (!lua_istable(L, -1))
    return Error(
        fmt::format("the file must return the scenario table, not {}", luaL_typename(L, -1)),
        SourceLoc{path, 0, 0});
  auto doc = lua::TableToDocument(L, -1, path);
  lua_settop(L, 0);
  if (!doc) return doc.error();
  Scenario s;
  try {
    doc::Reader r(path);
    const DocNode& root = *doc->root();
    s = doc::ReadScenario(r, root, path);
    if (!root["start"].IsDefined() && !s.actors.empty()) {
      // Lua tables have no order: without `start`, the actor called main starts.
      const Actor* main = s.FindActor("main");
      if (!main)
        return Error(
            "Lua tables have no order: say which actor the lab starts with start = \"NAME\" "
            "(or call it main)",
            SourceLoc{path, 0, 0});
      s.start = static_cast<size_t>(main - s.actors.data());
    }
  } catch (const doc::LoadError& e) {
    return e.error;
  }
  s.script = std::make_shared<LuaScenarioState>(std::move(state), path);
  if (Status st = ValidateScenario(s); !st) return st.error();
  return s;
}

class Front : public ScenarioFrontEnd {
 public:
  [[nodiscard]] std::vector<std::string> Extensions() const override { return {".lua"}; }
  Result<Scenario> Load(const std::string& path) const override {
    return LoadLuaScenarioFile(path);
  }
};

}  // namespace

const ScenarioFrontEnd& LuaFrontEnd() {
  static const Front front;
  return front;
}

}  // namespace proclab
