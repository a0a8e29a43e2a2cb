#include "runner/cli/run_command.h"

#include "runner/cli/cpus_flag.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "reports/reporters.h"
#include "runner/base/text.h"
#include "runner/cli/app.h"
#include "runner/cli/suite_loading.h"
#include "runner/results/results_json.h"
#include "runner/run/contained_judge.h"
#include "runner/run/shard_plan.h"
#include "runner/run/suite.h"
#include "scripting/lua_scripting.h"

namespace proclab::cli {
namespace fs = std::filesystem;

std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote)
        quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < line.size())
        cur += line[++i];
      else
        cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      cur += line[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

std::vector<std::string> SplitCommand(const std::string& line) {
  std::vector<std::string> out = SplitWords(line);
  // The scenario's program runs in the scenario's folder; a replacement given
  // here names files relative to here.
  for (auto& arg : out) {
    std::error_code ec;
    if (!arg.empty() && arg[0] != '/' && arg[0] != '-' && fs::exists(arg, ec) &&
        (arg.find('/') != std::string::npos || &arg != &out[0] ||
         fs::path(arg).extension() == ".c"))
      arg = fs::absolute(arg).lexically_normal().string();
  }
  return out;
}

RunCommand::RunCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("run", "run scenario files or folders (none: the shipped library)");
  cmd_->add_option("paths", paths_, "scenario files or folders");
  cmd_->add_option("-j,--jobs", jobs_, "labs in parallel (default: number of CPUs)")
      ->check(CLI::Range(1, 256));
  // One value per occurrence: `--report junit:x a.yaml` must not eat a.yaml.
  cmd_->add_option("--filter", filters_, "run scenarios whose name matches this glob (repeatable)")
      ->allow_extra_args(false);
  cmd_->add_option("--tag", tags_, "run scenarios with this tag (repeatable)")
      ->allow_extra_args(false);
  cmd_->add_option("--repeat", repeat_, "run each scenario N times; report flaky ones")
      ->check(CLI::Range(1, 10000));
  cmd_->add_option("--shard", shard_,
                   "run the I-th of N deterministic shares of the (scenario, attempt) runs, e.g. "
                   "2/4; auto reads the CI engine's variables");
  cmd_->add_option("--shards", shards_,
                   "with --shard auto: how many shards (Kubernetes gives only the index)")
      ->check(CLI::Range(1, 100000));
  cmd_->add_option("--durations", durations_,
                   "with --shard: balance shards by the run times in this earlier json report");
  cmd_->add_option("--program", program_, "replace the program of every scenario that runs one");
  cmd_->add_option("--report", reports_,
                   "console (default), json[:PATH], junit:PATH, tap[:PATH], perfetto:PATH, "
                   "html:DIR (repeatable)")
      ->allow_extra_args(false);
  cmd_->add_option(
          "--network", network_,
          "loopback (default: each lab has a network of its own with only loopback) or host")
      ->check(CLI::IsMember({"loopback", "host"}));
  cmd_->add_option("--isolation", isolation_, "auto, namespace or subreaper")
      ->check(CLI::IsMember({"auto", "namespace", "subreaper"}));
  cmd_->add_option("--cpus", cpus_,
                   "pin every run to N CPUs, or to a list of them (0,2 or 4-7), in place of the "
                   "scenarios' cpus:");
  cmd_->footer(
      "Exit status: 0 every run passed, 1 some failed, 2 invalid scenario or usage, 3 proclab "
      "failed.");
}

Result<std::vector<std::pair<size_t, int>>> RunCommand::ShareOf(SuitePlan& plan,
                                                                size_t scenarios) const {
  auto shard = ChooseShard(shard_, shards_, ProcessEnvironment());
  if (!shard) return shard.error();
  std::optional<Durations> durations;
  if (!durations_.empty()) {
    auto earlier = ReadResultsFile(durations_);
    if (!earlier) return Error("--durations " + earlier.error().message);
    durations = DurationsOf(*earlier);
  }
  // The suite's runs in canonical order: (path, scenario) as planned, then attempt.
  std::vector<RunPair> pairs;
  for (const auto& s : plan.scenarios)
    for (int attempt = 0; attempt < plan.repeat; ++attempt) pairs.emplace_back(s.name, attempt);
  auto shares = SharePairs(pairs, shard->count, durations ? &*durations : nullptr);
  plan.shard_index = shard->index;
  plan.shard_count = shard->count;
  plan.balance = durations ? "durations:" + DurationsFingerprint(*durations) : "count";
  plan.pairs = shares[static_cast<size_t>(shard->index - 1)];
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < scenarios; ++i) index[plan.scenarios[i].name] = i;
  std::vector<std::pair<size_t, int>> runs;
  for (const auto& [name, attempt] : plan.pairs) runs.emplace_back(index[name], attempt);
  // Attempt by attempt, as an unsharded suite runs them.
  std::stable_sort(runs.begin(), runs.end(),
                   [](const auto& a, const auto& b) { return a.second < b.second; });
  fmt::print(stderr, "proclab: shard {} of {} ({}): {} of {} runs{}\n", shard->index, shard->count,
             shard->source, runs.size(), pairs.size(),
             durations ? ", balanced by " + durations_ : "");
  return runs;
}

int RunCommand::Run() {
  std::vector<int> cpus;
  if (!cpus_.empty()) {
    auto parsed = ParseCpusFlag(cpus_);
    if (!parsed) return kExitUsage;
    cpus = *parsed;
  }
  Loaded loaded;
  if (!LoadSuite(paths_, &loaded)) return kExitUsage;
  std::vector<const Scenario*> chosen;
  for (const auto& s : loaded.scenarios) {
    bool name_ok =
        filters_.empty() || std::any_of(filters_.begin(), filters_.end(), [&](const auto& g) {
          return fnmatch(g.c_str(), s.name.c_str(), 0) == 0;
        });
    bool tag_ok = tags_.empty() || std::any_of(tags_.begin(), tags_.end(), [&](const auto& t) {
                    return std::find(s.tags.begin(), s.tags.end(), t) != s.tags.end();
                  });
    if (name_ok && tag_ok) chosen.push_back(&s);
  }
  if (chosen.empty()) {
    fmt::print(stderr, "proclab: no scenario matches{}{}\n", filters_.empty() ? "" : " --filter",
               tags_.empty() ? "" : " --tag");
    return kExitUsage;
  }
  SuitePlan plan = PlanOf(loaded, &chosen, repeat_, {program_, isolation_, network_});
  std::optional<std::vector<std::pair<size_t, int>>> runs;
  if (!shard_.empty()) {
    auto mine = ShareOf(plan, chosen.size());
    if (!mine) {
      fmt::print(stderr, "proclab: {}\n", mine.error().message);
      return kExitUsage;
    }
    runs = std::move(*mine);
    // A shard makes only part of each scenario's runs (design.md §3.10.4).
    if (std::any_of(chosen.begin(), chosen.end(), [](const Scenario* s) {
          return std::any_of(s->expectations.begin(), s->expectations.end(),
                             [](const Expectation& e) { return !e.Stats().empty(); });
        }))
      fmt::print(stderr,
                 "proclab: statistics across repeats are judged when the shards are merged "
                 "(proclab merge), not by a shard\n");
  } else if (shards_ > 0 || !durations_.empty()) {
    fmt::print(stderr, "proclab: --shards and --durations go with --shard\n");
    return kExitUsage;
  }
  Reporters reporters;
  if (reports_.empty()) reports_.push_back("console");
  if (Status st = reporters.AddAll(reports_); !st) {
    fmt::print(stderr, "proclab: {}\n", st.error().message);
    return kExitUsage;
  }
  SuiteOptions options;
  options.run.actors = &LuaActors();
  // Each Lua expectation is judged in a forked copy: a stuck one fails alone.
  static const ContainedJudge judge(LuaJudge());
  options.run.judge = &judge;
  options.jobs = jobs_ > 0 ? jobs_ : std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  options.repeat = repeat_;
  options.runs = std::move(runs);
  if (!program_.empty()) {
    options.run.program = SplitCommand(program_);
    if (options.run.program.empty()) {
      fmt::print(stderr, "proclab: --program is empty\n");
      return kExitUsage;
    }
  }
  options.run.host_network = network_ == "host";
  options.run.cpus = cpus;
  options.run.isolation = isolation_ == "namespace"   ? os::Isolation::kPidNamespace
                          : isolation_ == "subreaper" ? os::Isolation::kSubreaper
                                                      : os::Isolation::kAuto;
  reporters.OnPlan(plan);
  SuiteSummary outcome = RunSuite(chosen, options, reporters);
  if (outcome.interrupted) return 130;
  return outcome.internal_errors                   ? kExitInternal
         : outcome.failed || outcome.across_failed ? kExitFailed
                                                   : kExitPassed;
}

CheckCommand::CheckCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("check", "validate scenario files without running anything");
  cmd_->add_option("paths", paths_, "scenario files or folders (at least one)");
}

int CheckCommand::Run() {
  if (paths_.empty()) {
    fmt::print(stderr, "proclab check: give at least one scenario file or folder\n");
    return kExitUsage;
  }
  Loaded loaded;
  if (!LoadSuite(paths_, &loaded)) return kExitUsage;
  fmt::print("{} scenario{} OK\n", loaded.scenarios.size(),
             loaded.scenarios.size() == 1 ? "" : "s");
  return kExitPassed;
}

ListCommand::ListCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("list", "list scenarios with their descriptions and tags");
  cmd_->add_option("paths", paths_, "scenario files or folders (none: the shipped library)");
}

int ListCommand::Run() {
  Loaded loaded;
  if (!LoadSuite(paths_, &loaded)) return kExitUsage;
  // Names, descriptions and tags come from files: shown escaped, never raw.
  size_t width = 0;
  for (const auto& s : loaded.scenarios) width = std::max(width, EscapeControls(s.name).size());
  for (const auto& s : loaded.scenarios) {
    std::string tags;
    for (const auto& t : s.tags) tags += (tags.empty() ? "" : ", ") + t;
    fmt::print("{:<{}}  {}{}\n", EscapeControls(s.name, false), width,
               EscapeControls(s.description, false),
               tags.empty() ? "" : " [" + EscapeControls(tags, false) + "]");
  }
  return kExitPassed;
}

}  // namespace proclab::cli
