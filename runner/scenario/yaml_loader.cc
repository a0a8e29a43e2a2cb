#include "runner/scenario/yaml_loader.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/scenario/validate.h"
#include "runner/scenario/yaml_parts.h"

namespace proclab {
namespace {

namespace fs = std::filesystem;
using yaml::Map;
using yaml::Reader;

void ReadLimits(const Reader& r, const YAML::Node& node, Limits* limits) {
  Map m(r, node, "limits");
  if (auto v = m.Get("processes")) {
    int64_t n = r.Int(*v, "limits.processes");
    if (n < 1 || n > 100000) r.Fail(*v, "limits.processes must be between 1 and 100000");
    limits->processes = static_cast<int>(n);
  }
  if (auto v = m.Get("memory")) limits->memory = r.Size(*v, "limits.memory");
  if (auto v = m.Get("cpu")) limits->cpu_us = r.Duration(*v, "limits.cpu");
  if (auto v = m.Get("output")) limits->output = r.Size(*v, "limits.output");
  if (auto v = m.Get("events")) {
    int64_t n = r.Int(*v, "limits.events");
    if (n < 100 || n > 10'000'000) r.Fail(*v, "limits.events must be between 100 and 10000000");
    limits->events = n;
  }
  m.Done();
}

void ReadActors(const Reader& r, const YAML::Node& node, Scenario* s) {
  if (!node.IsMap() || node.size() == 0)
    r.Fail(node, "actors must map each actor's name to its list of actions");
  for (const auto& kv : node) {
    Actor a;
    a.name = r.String(kv.first, "an actor's name");
    a.loc = r.Where(kv.first);
    if (s->FindActor(a.name)) r.Fail(kv.first, fmt::format("actor '{}' is defined twice", a.name));
    if (!kv.second.IsDefined() || kv.second.IsNull())
      r.Fail(kv.first,
             fmt::format("actor '{}' has no actions; give it a list, e.g. '- exit: 0'", a.name));
    if (a.name == "lab" || a.name == "self" || a.name == "any" || a.name == "tty" ||
        a.name == "kernel")
      r.Fail(kv.first,
             fmt::format("'{}' is a reserved name; call the actor something else", a.name));
    a.actions = yaml::ReadActions(r, kv.second);
    s->actors.push_back(std::move(a));
  }
}

void ReadProgram(const Reader& r, Map& top, Scenario* s) {
  YAML::Node prog = top.Require("program");
  s->program = r.StringList(prog, "program");
  if (s->program.empty() || s->program[0].empty())
    r.Fail(prog, "program needs at least the command to run");
  if (auto v = top.Get("cwd")) {
    fs::path cwd = r.String(*v, "cwd");
    s->cwd = (cwd.is_absolute() ? cwd : fs::path(s->dir) / cwd).lexically_normal().string();
  }
  if (auto v = top.Get("env")) {
    // (an empty Lua table arrives as an empty list)
    const bool empty = v->IsSequence() && v->size() == 0;
    if (!v->IsMap() && !empty)
      r.Fail(*v, "env must map variable names to values (null removes one)");
    for (const auto& kv : *v) {
      std::string key = r.String(kv.first, "an env name");
      if (key.empty() || key.find('=') != std::string::npos)
        r.Fail(kv.first, fmt::format("'{}' is not a variable name", key));
      s->env.push_back(kv.second.IsNull() ? key : key + "=" + r.String(kv.second, "env." + key));
    }
  }
  if (auto v = top.Get("stdin")) s->stdin_text = r.String(*v, "stdin");
  if (auto v = top.Get("tty")) s->tty = r.Bool(*v, "tty");
  if (auto v = top.Get("roles")) s->roles = yaml::ReadRoles(r, *v);
}

}  // namespace

namespace yaml {
Scenario ReadScenario(const Reader& r, const YAML::Node& doc, const std::string& path) {
  Map top(r, doc, "a scenario");
  Scenario s;
  s.file = path;
  s.dir = fs::absolute(path).parent_path().lexically_normal().string();
  s.loc = r.Where(doc);
  s.cwd = s.dir;
  if (!top.Has("scenario")) r.Fail(doc, "a scenario needs 'scenario: NAME' (its unique name)");
  YAML::Node name = top.Require("scenario");
  s.name = r.String(name, "scenario");
  if (s.name.empty() || s.name.find_first_of(" \t/") != std::string::npos)
    r.Fail(name, "a scenario's name is one word (letters, digits, '-', '_', '.')");
  if (auto v = top.Get("description")) s.description = r.String(*v, "description");
  if (auto v = top.Get("tags")) s.tags = r.StringList(*v, "tags");
  if (auto v = top.Get("timeout")) {
    s.timeout_us = r.Duration(*v, "timeout");
    if (s.timeout_us <= 0) r.Fail(*v, "timeout must be more than 0");
  }
  if (auto v = top.Get("linger")) s.linger_us = r.Duration(*v, "linger");
  if (auto v = top.Get("limits")) ReadLimits(r, *v, &s.limits);
  if (auto v = top.Get("points")) {
    s.points = r.Number(*v, "points");
    if (s.points < 0) r.Fail(*v, "points cannot be negative");
  }
  if (auto v = top.Get("user")) s.user = r.String(*v, "user");

  const bool has_actors = top.Has("actors"), has_program = top.Has("program");
  if (has_actors && has_program) {
    YAML::Node program_key, actors_key;
    for (const auto& kv : doc) {
      if (kv.first.Scalar() == "actors") actors_key = kv.first;
      if (kv.first.Scalar() == "program") program_key = kv.first;
    }
    r.Fail(actors_key, fmt::format("a scenario runs either built-in actors or a program, not both "
                                   "('program' is on line {})",
                                   r.Where(program_key).line));
  }
  if (!has_actors && !has_program)
    r.Fail(doc,
           "a scenario needs either 'actors' (built-in processes) or 'program' (a command to run)");
  if (has_actors) {
    ReadActors(r, *top.Get("actors"), &s);
    top.Allow({"program", "cwd", "env", "stdin", "roles"});
    if (auto v = top.Get("tty")) s.tty = r.Bool(*v, "tty");
    for (const char* key : {"cwd", "env", "stdin", "roles"})
      if (top.Has(key))
        r.Fail(*top.Get(key), fmt::format("'{}' belongs to scenarios that run a program", key));
  } else {
    top.Allow({"actors"});
    ReadProgram(r, top, &s);
  }
  if (auto v = top.Get("steps")) s.steps = yaml::ReadSteps(r, *v);
  if (auto v = top.Get("expect")) s.expectations = yaml::ReadExpectations(r, *v);
  if (auto v = top.Get("start")) {
    const std::string start = r.String(*v, "start");
    const Actor* a = s.FindActor(start);
    if (!a) r.Fail(*v, fmt::format("start: no actor is called '{}'", start));
    s.start = static_cast<size_t>(a - s.actors.data());
  }
  top.Done();
  return s;
}
}  // namespace yaml

Result<Scenario> ParseYamlScenario(std::string_view text, const std::string& path) {
  Reader r(path, std::string(text));
  try {
    YAML::Node doc = YAML::Load(std::string(text));
    if (!doc.IsDefined() || doc.IsNull())
      return Error(
          "the file is empty: a scenario needs at least 'scenario:' and actors or a program",
          SourceLoc{path, 1, 1});
    Scenario s = yaml::ReadScenario(r, doc, path);
    if (Status st = ValidateScenario(s); !st) return st.error();
    return s;
  } catch (const yaml::LoadError& e) {
    return e.error;
  } catch (const YAML::ParserException& e) {
    std::string hint;
    // yaml-cpp's words for a tab are obscure; say it plainly.
    size_t start = 0;
    for (int line = 0; line < e.mark.line && start != std::string_view::npos; ++line) {
      start = text.find('\n', start);
      if (start != std::string_view::npos) ++start;
    }
    if (start != std::string_view::npos) {
      std::string_view rest = text.substr(start);
      std::string_view line = rest.substr(0, rest.find('\n'));
      if (line.find('\t') != std::string_view::npos)
        hint = " (YAML indentation must use spaces; this line has a tab)";
    }
    return Error(fmt::format("malformed YAML: {}{}", e.msg, hint),
                 SourceLoc{path, e.mark.line + 1, e.mark.column + 1});
  } catch (const YAML::Exception& e) {
    return Error(fmt::format("malformed YAML: {}", e.msg),
                 SourceLoc{path, e.mark.is_null() ? 0 : e.mark.line + 1,
                           e.mark.is_null() ? 0 : e.mark.column + 1});
  }
}

Result<Scenario> LoadYamlScenario(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error(fmt::format("cannot read {}", path));
  std::stringstream text;
  text << f.rdbuf();
  return ParseYamlScenario(text.str(), path);
}

}  // namespace proclab
