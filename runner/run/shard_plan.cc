#include "runner/run/shard_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <numeric>

#include "runner/base/fnv_hash.h"

namespace proclab {
namespace {

std::optional<long> Number(const std::string& text) {
  long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

// A variable that must hold a whole number, or an error naming it.
Result<long> Var(const EnvLookup& env, const std::string& name) {
  auto v = env(name);
  if (!v) return Error(fmt::format("--shard auto: {} is not set", name));
  auto n = Number(*v);
  if (!n) return Error(fmt::format("--shard auto: {}='{}' is not a whole number", name, *v));
  return *n;
}

Result<ShardChoice> Checked(long index0, long count, std::string source) {
  if (count < 1)
    return Error(fmt::format("--shard auto: {}: the number of shards must be at least 1", source));
  if (index0 < 0 || index0 >= count)
    return Error(fmt::format("--shard auto: {}: that is shard {} (0-based) of {}, outside 0…{}",
                             source, index0, count, count - 1));
  return ShardChoice{static_cast<int>(index0 + 1), static_cast<int>(count), std::move(source)};
}

// The count, from --shards or PROCLAB_SHARDS, for engines that give none.
Result<long> CountFor(const EnvLookup& env, int shards, const std::string& who) {
  if (shards > 0) return static_cast<long>(shards);
  if (env("PROCLAB_SHARDS")) return Var(env, "PROCLAB_SHARDS");
  return Error(fmt::format(
      "--shard auto: {} gives the index but not how many shards there are: pass --shards N or "
      "set PROCLAB_SHARDS",
      who));
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

Result<ShardChoice> ChooseShard(const std::string& spec, int shards, const EnvLookup& env) {
  Result<ShardChoice> chosen = Error("");
  if (spec != "auto") {
    const size_t slash = spec.find('/');
    auto i = Number(spec.substr(0, slash));
    auto n = slash == std::string::npos ? std::nullopt : Number(spec.substr(slash + 1));
    if (!i || !n || *n < 1 || *i < 1 || *i > *n)
      return Error(fmt::format(
          "--shard '{}': expected I/N with 1 <= I <= N (e.g. 2/4), or auto to read the CI "
          "engine's variables",
          spec));
    chosen = ShardChoice{static_cast<int>(*i), static_cast<int>(*n), "--shard " + spec};
  } else if (env("PROCLAB_SHARD_INDEX")) {
    auto i = Var(env, "PROCLAB_SHARD_INDEX");
    if (!i) return i.error();
    auto n = CountFor(env, shards, "PROCLAB_SHARD_INDEX");
    if (!n) return n.error();
    chosen = Checked(*i, *n, fmt::format("PROCLAB_SHARD_INDEX={} of {}", *i, *n));
  } else if (env("JOB_COMPLETION_INDEX")) {
    auto i = Var(env, "JOB_COMPLETION_INDEX");
    if (!i) return i.error();
    auto n = CountFor(env, shards, "Kubernetes (JOB_COMPLETION_INDEX)");
    if (!n) return n.error();
    chosen = Checked(*i, *n, fmt::format("JOB_COMPLETION_INDEX={} of {}", *i, *n));
  } else if (env("SLURM_ARRAY_TASK_ID")) {
    auto id = Var(env, "SLURM_ARRAY_TASK_ID");
    if (!id) return id.error();
    auto min = Var(env, "SLURM_ARRAY_TASK_MIN");
    if (!min) return min.error();
    Result<long> step = env("SLURM_ARRAY_TASK_STEP") ? Var(env, "SLURM_ARRAY_TASK_STEP") : 1L;
    if (!step) return step.error();
    if (*step < 1) return Error("--shard auto: SLURM_ARRAY_TASK_STEP must be at least 1");
    Result<long> n =
        shards > 0 ? Result<long>(static_cast<long>(shards)) : Var(env, "SLURM_ARRAY_TASK_COUNT");
    if (!n) return n.error();
    if ((*id - *min) % *step != 0)
      return Error(fmt::format(
          "--shard auto: SLURM_ARRAY_TASK_ID={} is not SLURM_ARRAY_TASK_MIN={} plus a multiple of "
          "the step {}",
          *id, *min, *step));
    chosen = Checked((*id - *min) / *step, *n,
                     fmt::format("SLURM_ARRAY_TASK_ID={} (from {}) of {}", *id, *min, *n));
  } else if (env("CI_NODE_INDEX")) {
    auto i = Var(env, "CI_NODE_INDEX");
    if (!i) return i.error();
    Result<long> n =
        shards > 0 ? Result<long>(static_cast<long>(shards)) : Var(env, "CI_NODE_TOTAL");
    if (!n) return n.error();
    chosen = Checked(*i - 1, *n, fmt::format("CI_NODE_INDEX={} of {}", *i, *n));
  } else {
    return Error(
        "--shard auto: none of the CI engines' variables is set (PROCLAB_SHARD_INDEX, "
        "JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, CI_NODE_INDEX); give --shard I/N");
  }
  if (!chosen) return chosen;
  if (shards > 0 && shards != chosen->count)
    return Error(fmt::format("--shards {} disagrees with {}", shards, chosen->source));
  return chosen;
}

Durations DurationsOf(const ResultsFile& earlier) {
  std::map<std::string, std::pair<double, int>> sum;
  for (const auto& r : earlier.runs) {
    if (r.cancelled) continue;
    auto& [seconds, runs] = sum[r.scenario];
    seconds += static_cast<double>(r.wall_us) / 1e6;
    ++runs;
  }
  Durations out;
  for (const auto& [name, s] : sum) out[name] = s.first / s.second;
  return out;
}

std::string DurationsFingerprint(const Durations& d) {
  Fnv1a h;
  for (const auto& [name, seconds] : d) h.Field(name).Field(fmt::format("{:.6f}", seconds));
  return h.Hex();
}

std::vector<std::vector<RunPair>> SharePairs(const std::vector<RunPair>& pairs, int count,
                                             const Durations* durations) {
  std::vector<std::vector<RunPair>> shares(static_cast<size_t>(std::max(count, 1)));
  if (!durations) {
    for (size_t k = 0; k < pairs.size(); ++k) shares[k % shares.size()].push_back(pairs[k]);
    return shares;
  }
  double mean = 1;
  if (!durations->empty())
    mean = std::accumulate(durations->begin(), durations->end(), 0.0,
                           [](double sum, const auto& d) { return sum + d.second; }) /
           static_cast<double>(durations->size());
  auto cost = [&](const RunPair& p) {
    auto it = durations->find(p.first);
    return it == durations->end() ? mean : it->second;
  };
  std::vector<size_t> order(pairs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return cost(pairs[a]) > cost(pairs[b]); });
  std::vector<double> load(shares.size(), 0);
  std::vector<std::vector<size_t>> picked(shares.size());
  for (size_t k : order) {
    const size_t s = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[s] += cost(pairs[k]);
    picked[s].push_back(k);
  }
  // Each share keeps the canonical order, whatever order it was filled in.
  for (size_t s = 0; s < shares.size(); ++s) {
    std::sort(picked[s].begin(), picked[s].end());
    for (size_t k : picked[s]) shares[s].push_back(pairs[k]);
  }
  return shares;
}

}  // namespace proclab
