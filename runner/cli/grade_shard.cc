#include "runner/cli/grade_shard.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace proclab::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string ShardFile(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) ? (fs::path(path) / "shard.json").string() : path;
}

json OptionsJson(const GradeShardOptions& o) {
  return {
      {"suite", o.suite}, {"repeat", o.repeat}, {"policy", o.policy}, {"isolation", o.isolation}};
}

struct ShardDoc {
  std::string path;
  GradeShardOptions options;
  int index = 0, count = 0;
  std::vector<std::string> all;
  json graded;
};

Result<ShardDoc> ReadShard(const std::string& given) {
  ShardDoc d;
  d.path = ShardFile(given);
  std::ifstream f(d.path);
  if (!f)
    return Error(
        fmt::format("{}: cannot be read (grade --shard writes shard.json in its --out)", d.path));
  std::stringstream text;
  text << f.rdbuf();
  const json j = json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("proclab_grade_shard", 0) != 1)
    return Error(fmt::format("{}: not the shard.json of a `grade --shard`", d.path));
  try {
    const json& o = j.at("options");
    d.options = {o.at("suite").get<std::string>(), o.at("repeat").get<int>(),
                 o.at("policy").get<std::string>(), o.at("isolation").get<std::string>()};
    d.index = j.at("shard").at("index").get<int>();
    d.count = j.at("shard").at("count").get<int>();
    d.all = j.at("submissions").get<std::vector<std::string>>();
    d.graded = j.at("graded");
    if (!d.graded.is_array()) throw std::runtime_error("graded");
  } catch (const std::exception& e) {
    return Error(fmt::format("{}: not what proclab writes ({})", d.path, e.what()));
  }
  return d;
}

}  // namespace

void GradeShard::AddSubmission(const std::string& name, const std::string& entry,
                               const std::string& problem, const std::string& build_log) {
  Graded& g = graded_[name];
  g.entry = entry;
  g.problem = problem;
  g.build_log = build_log;
}

void GradeShard::AddRun(const std::string& submission, const std::string& scenario, int attempt,
                        const RunRecord& record) {
  graded_[submission].pairs[scenario][attempt] = record;
}

Status GradeShard::Write(const std::string& dir) const {
  json graded = json::array();
  for (const auto& [name, g] : graded_) {
    json pairs = json::array();
    for (const auto& [scenario, runs] : g.pairs) {
      std::vector<RunRecord> records;
      for (const auto& [attempt, r] : runs) records.push_back(r);
      pairs.push_back({{"scenario", scenario}, {"records", json::parse(EncodeRecords(records))}});
    }
    graded.push_back({{"submission", name},
                      {"entry", g.entry},
                      {"problem", g.problem},
                      {"build_log", g.build_log},
                      {"pairs", pairs}});
  }
  const json doc = {{"proclab_grade_shard", 1},
                    {"options", OptionsJson(options_)},
                    {"shard", {{"index", index_}, {"count", count_}}},
                    {"submissions", all_},
                    {"graded", graded}};
  const std::string path = (fs::path(dir) / "shard.json").string();
  std::ofstream f(path, std::ios::trunc);
  f << doc.dump(1, ' ', false, json::error_handler_t::replace) << "\n";
  if (!f.flush()) return Error(fmt::format("cannot write {}", path));
  return {};
}

Result<GradeShardOptions> ReadGradeShardOptions(const std::string& shard) {
  auto d = ReadShard(shard);
  if (!d) return d.error();
  return d->options;
}

Status MergeGradeShards(const std::vector<std::string>& shards, const GradeShardOptions& expected,
                        Gradebook* book) {
  std::vector<ShardDoc> docs;
  for (const auto& s : shards) {
    auto d = ReadShard(s);
    if (!d) return d.error();
    docs.push_back(std::move(*d));
  }
  const ShardDoc& first = docs.front();
  std::map<int, const ShardDoc*> by_index;
  for (const auto& d : docs) {
    if (d.options.suite != expected.suite)
      return Error(fmt::format(
          "{} graded another suite: its files differ from the suite given to merge", d.path));
    if (d.options != first.options)
      return Error(fmt::format(
          "inconsistent shards: {} and {} were graded with different --repeat, --policy or "
          "--isolation",
          first.path, d.path));
    if (d.count != first.count)
      return Error(fmt::format("inconsistent shards: {} is shard {}/{}, {} is shard {}/{}",
                               first.path, first.index, first.count, d.path, d.index, d.count));
    if (d.all != first.all)
      return Error(fmt::format("inconsistent shards: {} and {} graded different classes",
                               first.path, d.path));
    if (auto [it, fresh] = by_index.emplace(d.index, &d); !fresh)
      return Error(fmt::format("shard {} of {} is given twice: {} and {}", d.index, d.count,
                               it->second->path, d.path));
  }
  std::vector<int> missing;
  for (int i = 1; i <= first.count; ++i)
    if (!by_index.count(i)) missing.push_back(i);
  if (!missing.empty())
    return Error(fmt::format("missing shard{} {} of {}", missing.size() == 1 ? "" : "s",
                             fmt::join(missing, ", "), first.count));
  std::map<std::string, const json*> graded;
  for (const auto& d : docs)
    for (const auto& g : d.graded) {
      const std::string name = g.value("submission", "");
      if (std::find(first.all.begin(), first.all.end(), name) == first.all.end())
        return Error(fmt::format("{}: it graded '{}', who is not in the class", d.path, name));
      if (!graded.emplace(name, &g).second)
        return Error(fmt::format("inconsistent shards: '{}' was graded twice", name));
    }
  for (const auto& name : first.all) {
    auto it = graded.find(name);
    if (it == graded.end())
      return Error(fmt::format("inconsistent shards: no shard graded '{}'", name));
    const json& g = *it->second;
    try {
      const std::string problem = g.at("problem").get<std::string>();
      book->AddSubmission(name, g.at("entry").get<std::string>(), problem,
                          g.at("build_log").get<std::string>());
      for (const auto& pair : g.at("pairs")) {
        auto records = DecodeRecords(pair.at("records").dump());
        if (!records)
          return Error(fmt::format("shard record of '{}': {}", name, records.error().message));
        for (const auto& r : *records)
          book->AddRecord(name, pair.at("scenario").get<std::string>(), r);
      }
    } catch (const json::exception& e) {
      return Error(
          fmt::format("the shard record of '{}' is not what proclab writes ({})", name, e.what()));
    }
  }
  return {};
}

}  // namespace proclab::cli
