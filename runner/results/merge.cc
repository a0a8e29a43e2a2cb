#include "runner/results/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace proclab {
namespace {

// Why two plans are not of one suite, naming the scenario file that differs.
std::string SuiteDifference(const SuitePlan& a, const SuitePlan& b) {
  std::map<std::string, const PlannedScenario*> in_b;
  for (const auto& s : b.scenarios) in_b[s.name] = &s;
  for (const auto& s : a.scenarios) {
    auto it = in_b.find(s.name);
    if (it == in_b.end())
      return fmt::format("scenario '{}' ({}) is only in the first", s.name, s.path);
    if (it->second->path != s.path)
      return fmt::format("scenario '{}' is {} in one and {} in the other", s.name, s.path,
                         it->second->path);
    if (it->second->file_hash != s.file_hash) return fmt::format("{} differs", s.path);
    in_b.erase(it);
  }
  if (!in_b.empty())
    return fmt::format("scenario '{}' ({}) is only in the second", in_b.begin()->first,
                       in_b.begin()->second->path);
  return "files of the suite that were not run differ";
}

// A scenario's file as given on one machine becomes its path in the suite,
// in the run and in its verdicts' locations.
void UseSuitePaths(ScenarioResult& r) {
  if (r.path.empty()) return;
  for (auto& v : r.verdicts)
    if (v.loc.file == r.file) v.loc.file = r.path;
  r.file = r.path;
}

}  // namespace

Result<MergedResults> MergeResults(std::vector<ResultsFile> files) {
  if (files.empty()) return Error("give at least one results file (--report json writes them)");
  for (const auto& f : files)
    if (!f.plan)
      return Error(fmt::format(
          "{}: it has no plan: it was written by a proclab without `merge`; run the shards again",
          f.path));
  const ResultsFile& first = files.front();
  const SuitePlan& p0 = *first.plan;
  const bool sharded = p0.shard_count > 0;
  for (const auto& f : files) {
    const SuitePlan& p = *f.plan;
    if (p.suite != p0.suite)
      return Error(fmt::format("{} and {} are results of different suites: {}", first.path, f.path,
                               SuiteDifference(p0, p)));
    if ((p.shard_count > 0) != sharded)
      return Error(fmt::format("{} is {} but {} is {}: merge shards of one run, or whole runs",
                               first.path, sharded ? "a shard" : "a whole run", f.path,
                               sharded ? "a whole run" : "a shard"));
    if (p.options != p0.options)
      return Error(fmt::format(
          "inconsistent shards: {} and {} were run with different --program, --isolation or "
          "--network",
          first.path, f.path));
    if (p.scenarios != p0.scenarios)
      return Error(fmt::format(
          "inconsistent shards: {} and {} chose different scenarios (--filter, --tag or the "
          "paths given): {}",
          first.path, f.path, SuiteDifference(p0, p)));
    if (!sharded) continue;
    if (p.repeat != p0.repeat)
      return Error(
          fmt::format("inconsistent shards: {} was run with --repeat {}, {} with --repeat {}",
                      first.path, p0.repeat, f.path, p.repeat));
    if (p.shard_count != p0.shard_count)
      return Error(fmt::format("inconsistent shards: {} is shard {}/{}, {} is shard {}/{}",
                               first.path, p0.shard_index, p0.shard_count, f.path, p.shard_index,
                               p.shard_count));
    if (p.balance != p0.balance)
      return Error(fmt::format(
          "inconsistent shards: {} and {} shared the runs out differently ({} and {}): give every "
          "shard the same --durations file",
          first.path, f.path, p0.balance, p.balance));
  }

  MergedResults out;
  out.plan = p0;
  out.plan.shard_index = out.plan.shard_count = 0;
  out.plan.balance.clear();
  out.plan.pairs.clear();
  if (sharded) {
    std::map<int, const ResultsFile*> by_index;
    for (const auto& f : files) {
      auto [it, fresh] = by_index.emplace(f.plan->shard_index, &f);
      if (!fresh)
        return Error(fmt::format("shard {} of {} is given twice: {} and {}", f.plan->shard_index,
                                 p0.shard_count, it->second->path, f.path));
    }
    std::vector<int> missing;
    for (int i = 1; i <= p0.shard_count; ++i)
      if (!by_index.count(i)) missing.push_back(i);
    if (!missing.empty())
      return Error(fmt::format("missing shard{} {} of {} (given: {})",
                               missing.size() == 1 ? "" : "s", fmt::join(missing, ", "),
                               p0.shard_count, files.size()));
    // Together the shards were given every run once, and each made only its own.
    std::map<RunPair, const ResultsFile*> owner;
    for (const auto& f : files)
      for (const auto& pair : f.plan->pairs)
        if (auto [it, fresh] = owner.emplace(pair, &f); !fresh)
          return Error(fmt::format("inconsistent shards: {} and {} were both given {} #{}",
                                   it->second->path, f.path, pair.first, pair.second + 1));
    for (const auto& s : p0.scenarios)
      for (int a = 0; a < p0.repeat; ++a)
        if (!owner.count({s.name, a}))
          return Error(
              fmt::format("inconsistent shards: no shard was given {} #{}", s.name, a + 1));
    if (owner.size() != p0.runs())
      return Error(
          "inconsistent shards: they were given runs of scenarios the suite does not plan");
    std::set<RunPair> made;
    for (auto& f : files)
      for (auto& r : f.runs) {
        const RunPair pair{r.scenario, r.attempt};
        auto it = owner.find(pair);
        if (it == owner.end() || it->second != &f)
          return Error(fmt::format("{}: it holds {} #{}, which its shard was not given", f.path,
                                   r.scenario, r.attempt + 1));
        if (!made.insert(pair).second)
          return Error(fmt::format("{}: it holds {} #{} twice", f.path, r.scenario, r.attempt + 1));
        out.runs.push_back(std::move(r));
      }
    out.not_run = p0.runs() - made.size();
  } else {
    // Whole runs: the second's attempts follow the first's.
    int offset = 0;
    for (auto& f : files) {
      for (auto& r : f.runs) {
        r.attempt += offset;
        out.runs.push_back(std::move(r));
      }
      offset += f.plan->repeat;
      out.not_run += f.not_run;
    }
    out.plan.repeat = offset;
  }
  std::map<std::string, std::string> path_of;
  for (const auto& s : out.plan.scenarios) path_of[s.name] = s.path;
  for (auto& r : out.runs) {
    if (r.path.empty()) r.path = path_of[r.scenario];
    UseSuitePaths(r);
  }
  std::sort(out.runs.begin(), out.runs.end(), [](const auto& a, const auto& b) {
    return std::tie(a.path, a.scenario, a.attempt) < std::tie(b.path, b.scenario, b.attempt);
  });
  return out;
}

}  // namespace proclab
