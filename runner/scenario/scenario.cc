#include "runner/scenario/scenario.h"

#include <fmt/format.h>

#include "runner/base/signal_names.h"
#include "runner/base/units.h"

namespace proclab {

const std::vector<std::string>& KeyNames() {
  static const std::vector<std::string> keys = {"ctrl-c", "ctrl-backslash", "ctrl-z", "ctrl-d"};
  return keys;
}

std::string IntRange::Describe() const {
  if (min && max && *min == *max) return std::to_string(*min);
  if (min && max) return fmt::format("between {} and {}", *min, *max);
  if (min) return fmt::format("at least {}", *min);
  if (max) return fmt::format("at most {}", *max);
  return "any number";
}

const Actor* Scenario::FindActor(const std::string& name) const {
  auto hit = [&]() -> const Actor* {
    auto it = actor_index_.find(name);
    return it != actor_index_.end() && it->second < actors.size() && actors[it->second].name == name
               ? &actors[it->second]
               : nullptr;
  };
  if (const Actor* a = hit()) return a;
  // A miss is an answer while the index covers every actor; otherwise actors
  // were added since: rebuild, then look again.
  if (actor_index_.size() == actors.size() && actor_index_.count(name) == 0) return nullptr;
  actor_index_.clear();
  for (size_t i = 0; i < actors.size(); ++i) actor_index_.emplace(actors[i].name, i);
  return hit();
}

const Role* Scenario::FindRole(const std::string& name) const {
  for (const auto& r : roles)
    if (r.name == name) return &r;
  return nullptr;
}

std::string Role::Describe() const {
  std::vector<std::string> parts;
  if (main) parts.push_back("main");
  if (!child_of.empty())
    parts.push_back(nth ? fmt::format("child {} of {}", nth, child_of) : "child of " + child_of);
  if (!comm.empty()) parts.push_back("comm " + comm);
  if (!argv_regex.empty()) parts.push_back(fmt::format("argv /{}/", argv_regex));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

const Expectation::FileCheck& Expectation::Files() const {
  static const FileCheck kNone;
  return file ? *file : kNone;
}

bool Scenario::FreshCwd() const {
  if (fresh_cwd) return *fresh_cwd;
  for (const auto& e : expectations)
    if (e.kind == Expectation::Kind::kFiles && !e.Files().outside) return true;
  return false;
}

bool Scenario::WatchesOutside() const {
  for (const auto& e : expectations)
    if (e.kind == Expectation::Kind::kFiles && e.Files().outside) return true;
  return false;
}

std::vector<std::string> Scenario::ProcessNames() const {
  std::vector<std::string> out;
  for (const auto& a : actors) out.push_back(a.name);
  for (const auto& r : roles) out.push_back(r.name);
  return out;
}

}  // namespace proclab

namespace proclab {
namespace {

std::string KindName(Expectation::Kind k) {
  using K = Expectation::Kind;
  switch (k) {
    case K::kExit: return "exit";
    case K::kKilled: return "killed";
    case K::kState: return "state";
    case K::kParent: return "parent";
    case K::kReaped: return "reaped";
    case K::kSignal: return "signal";
    case K::kNoSignal: return "no_signal";
    case K::kOrder: return "order";
    case K::kOutput: return "output";
    case K::kNoOutput: return "no_output";
    case K::kPid: return "pid";
    case K::kProcesses: return "processes";
    case K::kDuration: return "duration";
    case K::kNoLeaks: return "no_leaks";
    case K::kNoZombies: return "no_zombies";
    case K::kLua: return "lua";
    case K::kFiles: return "files";
    case K::kCpu: return "cpu";
    case K::kParallelism: return "parallelism";
    case K::kRss: return "rss";
    case K::kValue: return "value";
    case K::kCompare: return "compare";
    case K::kSections: return "sections";
  }
  return "?";
}

std::string Range(const IntRange& r) {
  if (r.min && r.max && *r.min == *r.max) return std::to_string(*r.min);
  std::string out = "{";
  if (r.min) out += fmt::format("min: {}", *r.min);
  if (r.max) out += fmt::format("{}max: {}", r.min ? ", " : "", *r.max);
  return out + "}";
}

std::string SizeRange(const IntRange& r) {
  if (r.min && r.max && *r.min == *r.max) return FormatSize(*r.min);
  std::string out = "{";
  if (r.min) out += "min: " + FormatSize(*r.min);
  if (r.max) out += (r.min ? ", max: " : "max: ") + FormatSize(*r.max);
  return out + "}";
}

}  // namespace

const std::vector<StatBound>& Expectation::Stats() const {
  static const std::vector<StatBound> none;
  return resources ? resources->stats : none;
}

SourceLoc Expectation::Where(const std::string& field) const {
  for (const FieldLoc& f : where)
    if (f.field == field) return SourceLoc{loc.file, f.line, f.column};
  return loc;
}

std::string Expectation::Describe() const {
  using K = Expectation::Kind;
  std::vector<std::string> parts;
  auto add = [&](const std::string& key, const std::string& value) {
    if (!value.empty()) parts.push_back(key + ": " + value);
  };
  auto add_after = [&] {
    if (!after) return;
    add("after", "\"" + after->text + "\"");
    if (within_us) add("within", FormatDuration(*within_us));
    if (first) add("first", "true");
  };
  add("process", process);
  switch (kind) {
    case K::kExit:
      if (code) add("code", std::to_string(*code));
      break;
    case K::kKilled:
      if (sig) add("sig", SignalName(sig));
      if (core) add("core", *core ? "true" : "false");
      break;
    case K::kState:
      add("at", at);
      add("is", is);
      break;
    case K::kParent:
      add("is", is);
      add("at", at);
      break;
    case K::kReaped: add("by", by); break;
    case K::kSignal:
    case K::kNoSignal:
      if (sig) add("sig", SignalName(sig));
      add("from", from);
      add("to", to);
      if (outcome) add("outcome", std::string(OutcomeName(*outcome)));
      if (!count.empty()) add("count", Range(count));
      add_after();
      break;
    case K::kOutput:
    case K::kNoOutput:
      if (!pattern.empty()) add("match", "\"" + pattern + "\"");
      add("by", by);
      if (stream) add("stream", std::string(StreamName(*stream)));
      if (!count.empty()) add("count", Range(count));
      if (!writers.empty()) add("writers", Range(writers));
      add_after();
      break;
    case K::kPid: add("is", std::to_string(pid)); break;
    case K::kProcesses:
      if (!counts) break;
      if (!counts->max_alive.empty()) add("max_alive", Range(counts->max_alive));
      if (!counts->total.empty()) add("total", Range(counts->total));
      if (!counts->distinct.empty()) add("distinct", Range(counts->distinct));
      break;
    case K::kDuration:
      if (min_us) add("min", FormatDuration(*min_us));
      if (max_us) add("max", FormatDuration(*max_us));
      break;
    case K::kOrder: {
      std::string list;
      for (const auto& item : order) list += (list.empty() ? "" : ", ") + item.text;
      return "order: [" + list + "]";
    }
    case K::kNoLeaks:
    case K::kNoZombies: return KindName(kind) + (enabled ? "" : ": false");
    case K::kLua: return "lua: " + lua;
    case K::kFiles: {
      const FileCheck& f = Files();
      if (f.outside) return "files: {outside: none}";
      add("path", "\"" + f.path + "\"");
      if (f.absent) add("absent", "true");
      if (!count.empty()) add("count", Range(count));
      if (!f.file_kind.empty()) add("kind", f.file_kind);
      if (!pattern.empty()) add("match", "\"" + pattern + "\"");
      if (!f.size.empty()) add("size", SizeRange(f.size));
      if (f.written) add("written", "true");
      break;
    }
    case K::kCpu:
    case K::kParallelism:
    case K::kRss:
      if (!resources) break;
      // Event names quote their regexes with ": the YAML way round them.
      if (resources->from) add("from", "'" + resources->from->text + "'");
      if (resources->to) add("to", "'" + resources->to->text + "'");
      if (resources->min) add("min", resources->min->text());
      if (resources->max) add("max", resources->max->text());
      if (resources->max_rss_kb) add("max", FormatSize(resources->max_rss_kb * 1024));
      if (resources->children) add("children", "true");
      break;
    case K::kValue:
      if (!value) break;
      add("name", value->name);
      if (value->min) add("min", value->min->text());
      if (value->max) add("max", value->max->text());
      add("stat", value->stat);
      break;
    case K::kCompare:
      if (!compare) break;
      add("left", "'" + compare->left.text() + "'");
      add("op", "\"" + compare->op + "\"");
      add("right", "'" + compare->right.text() + "'");
      break;
    case K::kSections:
      if (!sections) break;
      add("enter", "\"" + sections->enter + "\"");
      add("leave", "\"" + sections->leave + "\"");
      add("by", sections->by);
      add("max_inside", std::to_string(sections->max_inside));
      break;
  }
  for (const auto& st : Stats()) parts.push_back(st.Describe());
  std::string body;
  for (const auto& p : parts) body += (body.empty() ? "" : ", ") + p;
  return fmt::format("{}: {{{}}}", KindName(kind), body);
}

}  // namespace proclab

namespace proclab {

const Measure* Scenario::FindMeasure(const std::string& name) const {
  for (const auto& m : measures)
    if (m.name == name) return &m;
  return nullptr;
}

bool Scenario::MeasuresAnyName() const {
  for (const auto& a : actors)
    if (a.lua_function >= 0) return true;
  return false;
}

bool Scenario::RunsAlone() const {
  if (exclusive) return true;
  for (const auto& e : expectations)
    if (e.kind == Expectation::Kind::kParallelism) return true;
  return false;
}

bool Scenario::NeedsCpuReadings() const {
  for (const auto& e : expectations)
    if (e.kind == Expectation::Kind::kParallelism && e.resources &&
        (e.resources->from || e.resources->to))
      return true;
  return false;
}

}  // namespace proclab
