#include "runner/results/suite_plan.h"

#include <fmt/format.h>

namespace proclab {

using nlohmann::json;

json PlanToJson(const SuitePlan& plan) {
  json scenarios = json::array();
  for (const auto& s : plan.scenarios)
    scenarios.push_back({{"scenario", s.name}, {"path", s.path}, {"file_hash", s.file_hash}});
  json out = {{"suite", plan.suite},
              {"options", plan.options},
              {"repeat", plan.repeat},
              {"scenarios", scenarios}};
  if (plan.shard_count > 0) {
    json pairs = json::array();
    for (const auto& [name, attempt] : plan.pairs) pairs.push_back({name, attempt});
    out["shard"] = {{"index", plan.shard_index},
                    {"count", plan.shard_count},
                    {"balance", plan.balance},
                    {"runs", pairs}};
  }
  return out;
}

Result<SuitePlan> PlanFromJson(const json& j, const std::string& what) {
  auto bad = [&](const std::string& field) {
    return Error(fmt::format("{}: its plan's '{}' is not what proclab writes", what, field));
  };
  if (!j.is_object()) return bad("plan");
  SuitePlan plan;
  for (const char* key : {"suite", "options"})
    if (!j.contains(key) || !j[key].is_string()) return bad(key);
  plan.suite = j["suite"];
  plan.options = j["options"];
  if (!j.contains("repeat") || !j["repeat"].is_number_integer() || j["repeat"] < 1)
    return bad("repeat");
  plan.repeat = j["repeat"];
  if (!j.contains("scenarios") || !j["scenarios"].is_array()) return bad("scenarios");
  for (const auto& s : j["scenarios"]) {
    if (!s.is_object()) return bad("scenarios");
    for (const char* key : {"scenario", "path", "file_hash"})
      if (!s.contains(key) || !s[key].is_string()) return bad(std::string("scenarios.") + key);
    plan.scenarios.push_back({s["scenario"], s["path"], s["file_hash"]});
  }
  if (j.contains("shard")) {
    const json& sh = j["shard"];
    if (!sh.is_object()) return bad("shard");
    for (const char* key : {"index", "count"})
      if (!sh.contains(key) || !sh[key].is_number_integer())
        return bad(std::string("shard.") + key);
    plan.shard_index = sh["index"];
    plan.shard_count = sh["count"];
    if (plan.shard_count < 1 || plan.shard_index < 1 || plan.shard_index > plan.shard_count)
      return bad("shard.index");
    if (!sh.contains("balance") || !sh["balance"].is_string()) return bad("shard.balance");
    plan.balance = sh["balance"];
    if (!sh.contains("runs") || !sh["runs"].is_array()) return bad("shard.runs");
    for (const auto& p : sh["runs"]) {
      if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_number_integer())
        return bad("shard.runs");
      plan.pairs.emplace_back(p[0].get<std::string>(), p[1].get<int>());
    }
  }
  return plan;
}

}  // namespace proclab
