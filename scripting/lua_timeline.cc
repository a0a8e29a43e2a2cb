#include <optional>

#include "scripting/lua_scripting.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "runner/expect/context.h"
#include "runner/expect/measured.h"
#include "runner/scenario/names.h"
#include "runner/timeline/trace_json.h"
#include "scripting/lab_library.h"
#include "scripting/lua_scenario.h"

namespace proclab {
namespace {

using nlohmann::json;
constexpr const char* kTimeline = "lab.Timeline";
constexpr int64_t kBudgetUs = 2'000'000;

struct View {
  const Timeline* t = nullptr;  // valid only during the expectation's call
  const Names* names = nullptr;
  const Scenario* s = nullptr;
};

void PushJson(lua_State* L, const json& j) {
  luaL_checkstack(L, 4, "timeline");
  switch (j.type()) {
    case json::value_t::null: lua_pushnil(L); break;
    case json::value_t::boolean: lua_pushboolean(L, j.get<bool>()); break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: lua_pushinteger(L, j.get<int64_t>()); break;
    case json::value_t::number_float: lua_pushnumber(L, j.get<double>()); break;
    case json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      lua_pushlstring(L, s.data(), s.size());
      break;
    }
    case json::value_t::array: {
      lua_createtable(L, static_cast<int>(j.size()), 0);
      int i = 0;
      for (const auto& v : j) {
        PushJson(L, v);
        lua_rawseti(L, -2, ++i);
      }
      break;
    }
    case json::value_t::object:
      lua_createtable(L, 0, static_cast<int>(j.size()));
      for (const auto& [k, v] : j.items()) {
        PushJson(L, v);
        lua_setfield(L, -2, k.c_str());
      }
      break;
    default: lua_pushnil(L); break;
  }
}

View* Check(lua_State* L) {
  auto* v = static_cast<View*>(luaL_checkudata(L, 1, kTimeline));
  if (!v->t) luaL_error(L, "this timeline is no longer available (keep data, not `t`)");
  return v;
}

int Processes(lua_State* L) {
  View* v = Check(L);
  json list = json::array();
  for (const auto& p : v->names->records()) {
    json j = ProcessToJson(p);
    std::string name = v->names->NameOf(p.pid);
    if (!name.empty()) j["role"] = name;
    list.push_back(j);
  }
  PushJson(L, list);
  return 1;
}

int Pids(lua_State* L) {
  View* v = Check(L);
  auto pids = v->names->Resolve(luaL_checkstring(L, 2));
  lua_createtable(L, static_cast<int>(pids.size()), 0);
  for (size_t i = 0; i < pids.size(); ++i) {
    lua_pushinteger(L, pids[i]);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i) + 1);
  }
  return 1;
}

int Pid(lua_State* L) {
  View* v = Check(L);
  auto pids = v->names->Resolve(luaL_checkstring(L, 2));
  if (pids.empty())
    lua_pushnil(L);
  else
    lua_pushinteger(L, pids.front());
  return 1;
}

// t:events{type=, pid=, name=}: matching events as tables (DESIGN §4 fields).
int Events(lua_State* L) {
  View* v = Check(L);
  std::string type, name;
  lua_Integer pid = 0;
  if (lua_istable(L, 2)) {
    if (lua_getfield(L, 2, "type") == LUA_TSTRING) type = lua_tostring(L, -1);
    if (lua_getfield(L, 2, "pid") == LUA_TNUMBER) pid = lua_tointeger(L, -1);
    if (lua_getfield(L, 2, "name") == LUA_TSTRING) name = lua_tostring(L, -1);
    lua_pop(L, 3);
  }
  std::vector<pid_t> pids;
  if (!name.empty()) pids = v->names->Resolve(name);
  lua_newtable(L);
  int n = 0;
  for (const auto& e : v->t->events()) {
    if (!type.empty() && EventTypeName(e.type) != type) continue;
    if (pid && e.pid != pid) continue;
    if (!name.empty() && std::find(pids.begin(), pids.end(), e.pid) == pids.end()) continue;
    json j = EventToJson(e);
    j["t"] = e.t_us / 1e6;
    PushJson(L, j);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

int Output(lua_State* L) {
  View* v = Check(L);
  std::vector<pid_t> pids;
  const bool all = lua_isnoneornil(L, 2);
  if (!all) pids = v->names->Resolve(luaL_checkstring(L, 2));
  std::string text;
  for (const auto& e : v->t->events())
    if (e.type == EventType::kOutput &&
        (all || std::find(pids.begin(), pids.end(), e.pid) != pids.end()))
      text += e.text;
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

int Exit(lua_State* L) {
  View* v = Check(L);
  auto pids = v->names->Resolve(luaL_checkstring(L, 2));
  const ProcessRecord* rec = pids.empty() ? nullptr : v->names->Record(pids.front());
  if (!rec || !rec->exit) {
    lua_pushnil(L);
    return 1;
  }
  PushJson(L, ProcessToJson(*rec)["exit"]);
  return 1;
}

int CheckpointOf(lua_State* L) {
  View* v = Check(L);
  const std::string name = luaL_checkstring(L, 2);
  for (const auto& e : v->t->events()) {
    if (e.type != EventType::kCheckpoint || e.name != name) continue;
    PushJson(L, EventToJson(e));
    // by_pid[pid]: the same snapshots, keyed by pid
    lua_newtable(L);
    lua_getfield(L, -2, "processes");
    for (size_t i = 0; i < e.processes.size(); ++i) {
      lua_rawgeti(L, -1, static_cast<lua_Integer>(i) + 1);
      lua_rawseti(L, -3, e.processes[i].pid);
    }
    lua_pop(L, 1);
    lua_setfield(L, -2, "by_pid");
    lua_pushnumber(L, e.t_us / 1e6);
    lua_setfield(L, -2, "t");
    return 1;
  }
  lua_pushnil(L);
  return 1;
}

// t:values(name): every value measured under `name` (measure: lines and
// lab.measure), in timeline order, each {value, t, pid, name}; {} for none.
int Values(lua_State* L) {
  View* v = Check(L);
  const std::string name = luaL_checkstring(L, 2);
  const MeasuredValues all = CollectValues(*v->s, *v->names);
  const auto* values = all.Find(name);
  lua_createtable(L, values ? static_cast<int>(values->size()) : 0, 0);
  if (!values) return 1;
  int i = 0;
  for (const auto& x : *values) {
    lua_createtable(L, 0, 4);
    lua_pushnumber(L, x.value);
    lua_setfield(L, -2, "value");
    lua_pushnumber(L, x.t_us / 1e6);
    lua_setfield(L, -2, "t");
    lua_pushinteger(L, x.pid);
    lua_setfield(L, -2, "pid");
    const std::string who = v->names->NameOf(x.pid);
    lua_pushstring(L, who.c_str());
    lua_setfield(L, -2, "name");
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

int Index(lua_State* L) {
  View* v = Check(L);
  const std::string key = luaL_checkstring(L, 2);
  if (key == "lab") {
    PushJson(L, LabInfoToJson(v->t->lab));
    return 1;
  }
  if (key == "duration") {
    lua_pushnumber(L, v->t->summary.end_us / 1e6);
    return 1;
  }
  luaL_getmetafield(L, 1, "methods");
  lua_getfield(L, -1, key.c_str());
  return 1;
}

void PushView(lua_State* L, const Scenario& s, const Timeline& t, const Names& names) {
  if (luaL_newmetatable(L, kTimeline)) {
    static const luaL_Reg methods[] = {
        {"processes", Processes},     {"pid", Pid},       {"pids", Pids},
        {"events", Events},           {"output", Output}, {"exit", Exit},
        {"checkpoint", CheckpointOf}, {"values", Values}, {nullptr, nullptr},
    };
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "methods");
    lua_pushcfunction(L, Index);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  auto* v = static_cast<View*>(lua_newuserdatauv(L, sizeof(View), 0));
  *v = View{&t, &names, &s};
  luaL_setmetatable(L, kTimeline);
}

Verdict Evaluate(lua::State& state, const Scenario& s, const Expectation& e, const Timeline& t) {
  lua_State* L = state.L();
  lua_settop(L, 0);
  Names names(s, t);
  const std::string what = e.lua_function >= 0 ? "a Lua expectation" : "lua: " + e.lua;
  if (e.lua_function >= 0) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, e.lua_function);
  } else {
    // `lua: EXPR` sees the timeline as `t`, and the usual globals.
    if (auto failed = state.LoadString("local t = ...; return " + e.lua,
                                       fmt::format("{}:{}", e.loc.file, e.loc.line)))
      return expect::Fail(e, "the expression does not compile: " + failed->Describe());
  }
  PushView(L, s, t, names);
  lua_pushvalue(L, -1);
  const int view = luaL_ref(L, LUA_REGISTRYINDEX);  // to invalidate it afterwards
  std::optional<lua::Failure> failed = state.Call(1, 2, kBudgetUs);
  lua_rawgeti(L, LUA_REGISTRYINDEX, view);
  static_cast<View*>(lua_touserdata(L, -1))->t = nullptr;  // t must not outlive the call
  lua_pop(L, 1);
  luaL_unref(L, LUA_REGISTRYINDEX, view);
  if (failed) return expect::Fail(e, what + " raised an error: " + failed->Describe());
  const bool ok = lua_toboolean(L, -2);
  std::string message = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
  lua_settop(L, 0);
  if (message.empty()) message = ok ? "it returned true" : "it returned false (and no message)";
  return ok ? expect::Pass(e, message) : expect::Fail(e, message);
}

class LuaScriptJudge : public ScriptJudge {
 public:
  [[nodiscard]] Verdict Judge(const Scenario& s, const Expectation& e,
                              const Timeline& t) const override {
    if (LuaScenarioState* lua = LuaStateOf(s)) return Evaluate(lua->state(), s, e, t);
    auto state = lua::State::Create();
    if (!state) return expect::Fail(e, "cannot create a Lua state");
    return Evaluate(*state, s, e, t);
  }
};

}  // namespace

const ScriptJudge& LuaJudge() {
  static const LuaScriptJudge judge;
  return judge;
}

}  // namespace proclab
