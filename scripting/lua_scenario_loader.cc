// Lua scenarios: the file returns the same table a YAML scenario describes;
// actors and expectations may be functions.
#include <fmt/format.h>

#include <filesystem>

#include "runner/scenario/lua_loader_hook.h"
#include "runner/scenario/validate.h"
#include "runner/scenario/yaml_parts.h"
#include "scripting/lab_library.h"
#include "scripting/lua_scenario.h"
#include "scripting/lua_to_yaml.h"

namespace proclab {
namespace {

constexpr int64_t kLoadBudgetUs = 2'000'000;

Error At(const std::string& path, const std::string& message) {
  // Lua's own errors already start with "file:line:"; others get the file.
  if (message.rfind(path + ":", 0) == 0) {
    Error e(message.substr(path.size() + 1));
    e.loc.file = path;
    size_t colon = e.message.find(':');
    if (colon != std::string::npos && colon > 0 &&
        e.message.find_first_not_of("0123456789") == colon) {
      e.loc.line = std::stoi(e.message.substr(0, colon));
      e.message = e.message.substr(colon + 1);
      if (!e.message.empty() && e.message[0] == ' ') e.message.erase(0, 1);
    }
    return e;
  }
  return Error(message, SourceLoc{path, 0, 0});
}

}  // namespace

Result<Scenario> LoadLuaScenarioFile(const std::string& path) {
  auto state = lua::State::Create();
  if (!state) return Error("cannot create a Lua state", SourceLoc{path, 0, 0});
  lua_State* L = state->L();
  lua::OpenLabLibrary(L);
  if (Status st = state->Load(path); !st) return At(path, st.error().message);
  if (Status st = state->Call(0, 1, kLoadBudgetUs); !st)
    return At(path, st.error().message.substr(0, st.error().message.find("\nstack traceback:")));
  if (!lua_istable(L, -1))
    return Error(
        fmt::format("the file must return the scenario table, not {}", luaL_typename(L, -1)),
        SourceLoc{path, 0, 0});
  auto converted = lua::TableToYaml(L, -1);
  lua_settop(L, 0);
  if (!converted) return Error(converted.error().message, SourceLoc{path, 0, 0});
  Scenario s;
  try {
    yaml::Reader r(path);
    YAML::Node& node = converted->node;
    const bool named_start = node.IsMap() && node["start"].IsDefined();
    s = yaml::ReadScenario(r, node, path);
    if (!named_start && !s.actors.empty()) {
      // Lua tables have no order: without `start`, the actor called main starts.
      const Actor* main = s.FindActor("main");
      if (!main)
        return Error(
            "Lua tables have no order: say which actor the lab starts with start = \"NAME\" "
            "(or call it main)",
            SourceLoc{path, 0, 0});
      s.start = static_cast<size_t>(main - s.actors.data());
    }
  } catch (const yaml::LoadError& e) {
    return e.error;
  }
  // Functions know where they were written: that is their place for errors.
  auto line_of = [&](int ref) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    lua_Debug ar;
    lua_getinfo(L, ">S", &ar);
    return ar.linedefined;
  };
  for (auto& actor : s.actors)
    if (auto it = converted->actor_functions.find(actor.name);
        it != converted->actor_functions.end()) {
      actor.lua_function = it->second;
      actor.loc = SourceLoc{path, line_of(it->second), 0};
    }
  for (auto& [index, ref] : converted->expect_functions)
    if (index < s.expectations.size()) {
      Expectation& e = s.expectations[index];
      e.lua_function = ref;
      e.loc = SourceLoc{path, line_of(ref), 0};
      e.lua = fmt::format("(the function at line {})", e.loc.line);
    }
  s.lua = std::make_shared<LuaScenarioState>(std::move(state), path);
  if (Status st = ValidateScenario(s); !st) return st.error();
  return s;
}

}  // namespace proclab
