// The top of a scenario: its name, limits, and either actors or a program.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "runner/scenario/read_parts.h"

namespace proclab {
namespace {

namespace fs = std::filesystem;
using doc::Map;
using doc::Reader;

void ReadLimits(const Reader& r, const DocNode& node, Limits* limits) {
  Map m(r, node, "limits");
  if (auto v = m.Get("processes")) {
    int64_t n = r.Int(*v, "limits.processes");
    if (n < 1 || n > 100000) r.Fail(*v, "limits.processes must be between 1 and 100000");
    limits->processes = static_cast<int>(n);
  }
  if (auto v = m.Get("tasks")) {
    int64_t n = r.Int(*v, "limits.tasks");
    if (n < 1 || n > 100000) r.Fail(*v, "limits.tasks must be between 1 and 100000");
    limits->tasks = static_cast<int>(n);
  }
  if (auto v = m.Get("memory")) limits->memory = r.Size(*v, "limits.memory");
  if (auto v = m.Get("memory_total")) limits->memory_total = r.Size(*v, "limits.memory_total");
  if (auto v = m.Get("file_size")) limits->file_size = r.Size(*v, "limits.file_size");
  if (auto v = m.Get("open_files")) {
    int64_t n = r.Int(*v, "limits.open_files");
    if (n < 16 || n > 1'000'000) r.Fail(*v, "limits.open_files must be between 16 and 1000000");
    limits->open_files = static_cast<int>(n);
  }
  if (auto v = m.Get("cpu")) limits->cpu_us = r.Duration(*v, "limits.cpu");
  if (auto v = m.Get("output")) limits->output = r.Size(*v, "limits.output");
  if (auto v = m.Get("events")) {
    int64_t n = r.Int(*v, "limits.events");
    if (n < 100 || n > 10'000'000) r.Fail(*v, "limits.events must be between 100 and 10000000");
    limits->events = n;
  }
  if (auto v = m.Get("event_memory")) {
    limits->event_memory = r.Size(*v, "limits.event_memory");
    if (limits->event_memory < (1 << 20)) r.Fail(*v, "limits.event_memory must be at least 1MiB");
  }
  m.Done();
}

// `pace: off`, `pace: 200ms` (the quiet time), or `pace: {quiet: 200ms, max: 3s}`.
Pace ReadPace(const Reader& r, const DocNode& node) {
  Pace p;
  if (node.IsScalar() && (node.Scalar() == "off" || node.Scalar() == "false")) {
    p.on = false;
  } else if (node.IsScalar()) {
    p.quiet_us = r.Duration(node, "pace");
  } else {
    Map m(r, node, "pace");
    if (auto v = m.Get("quiet")) p.quiet_us = r.Duration(*v, "pace.quiet");
    if (auto v = m.Get("max")) p.max_us = r.Duration(*v, "pace.max");
    m.Done();
  }
  return p;
}

void ReadActors(const Reader& r, const DocNode& node, Scenario* s) {
  if (!node.IsMap() || node.size() == 0)
    r.Fail(node, "actors must map each actor's name to its list of actions");
  std::set<std::string_view> names;
  for (const auto& [key, value] : node.entries()) {
    Actor a;
    a.name = r.String(*key, "an actor's name");
    a.loc = r.Where(*key);
    if (!names.insert(key->Scalar()).second)
      r.Fail(*key, fmt::format("actor '{}' is defined twice", a.name));
    if (!value->IsDefined() || value->IsNull())
      r.Fail(*key,
             fmt::format("actor '{}' has no actions; give it a list, e.g. '- exit: 0'", a.name));
    if (a.name == "lab" || a.name == "self" || a.name == "any" || a.name == "tty" ||
        a.name == "kernel")
      r.Fail(*key, fmt::format("'{}' is a reserved name; call the actor something else", a.name));
    if (value->IsFunction()) {
      // Its body is code in the scenario's script; it is where it was written.
      a.lua_function = value->function_ref();
      a.loc = r.Where(*value);
    } else {
      a.actions = doc::ReadActions(r, *value);
    }
    s->actors.push_back(std::move(a));
  }
}

void ReadProgram(const Reader& r, Map& top, Scenario* s) {
  const DocNode& prog = top.Require("program");
  s->program = r.StringList(prog, "program");
  if (s->program.empty() || s->program[0].empty())
    r.Fail(prog, "program needs at least the command to run");
  if (auto v = top.Get("cwd")) {
    fs::path cwd = r.String(*v, "cwd");
    s->cwd = (cwd.is_absolute() ? cwd : fs::path(s->dir) / cwd).lexically_normal().string();
  }
  if (auto v = top.Get("env")) {
    // (an empty Lua table arrives as an empty list)
    const bool empty = v->IsList() && v->size() == 0;
    if (!v->IsMap() && !empty)
      r.Fail(*v, "env must map variable names to values (null removes one)");
    for (const auto& [k, value] : v->entries()) {
      std::string key = r.String(*k, "an env name");
      if (key.empty() || key.find('=') != std::string::npos)
        r.Fail(*k, fmt::format("'{}' is not a variable name", key));
      s->env.push_back(value->IsNull() ? key : key + "=" + r.String(*value, "env." + key));
    }
  }
  if (auto v = top.Get("stdin")) s->stdin_text = r.String(*v, "stdin");
  if (auto v = top.Get("tty")) s->tty = r.Bool(*v, "tty");
  if (auto v = top.Get("roles")) {
    if (!v->IsList()) {
      s->roles = doc::ReadRoles(r, *v);
    } else {
      // A list: alternative assignments, the first being the one steps see.
      if (v->size() == 0) r.Fail(*v, "roles: list at least one assignment");
      for (const DocNode* item : v->items()) {
        auto assignment = doc::ReadRoles(r, *item);
        if (s->roles.empty() && s->alternative_roles.empty())
          s->roles = std::move(assignment);
        else
          s->alternative_roles.push_back(std::move(assignment));
      }
    }
  }
}

}  // namespace

namespace doc {
Scenario ReadScenario(const Reader& r, const DocNode& doc, const std::string& path) {
  Map top(r, doc, "a scenario");
  Scenario s;
  s.file = path;
  s.dir = fs::absolute(path).parent_path().lexically_normal().string();
  s.loc = r.Where(doc);
  s.cwd = s.dir;
  if (!top.Has("scenario")) r.Fail(doc, "a scenario needs 'scenario: NAME' (its unique name)");
  const DocNode& name = top.Require("scenario");
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
  if (auto v = top.Get("sample")) {
    // As the lab's kMinSampleEveryUs: each sample reads every live process.
    s.sample_us = r.Duration(*v, "sample");
    if (s.sample_us < 10'000)
      r.Fail(*v, "sample must be at least 10ms (each sample reads every process)");
  }
  if (auto v = top.Get("pace")) s.pace = ReadPace(r, *v);
  if (auto v = top.Get("limits")) ReadLimits(r, *v, &s.limits);
  if (auto v = top.Get("points")) {
    s.points = r.Number(*v, "points");
    if (s.points < 0) r.Fail(*v, "points cannot be negative");
  }
  if (auto v = top.Get("user")) s.user = r.String(*v, "user");
  if (auto v = top.Get("fresh_cwd")) s.fresh_cwd = r.Bool(*v, "fresh_cwd");
  if (auto v = top.Get("network"))
    s.host_network = r.OneOf(*v, "network", {"loopback", "host"}) == "host";
  if (auto v = top.Get("cpus")) s.cpus = static_cast<int>(r.IntIn(*v, "cpus", 1, 4096));
  if (auto v = top.Get("exclusive")) s.exclusive = r.Bool(*v, "exclusive");

  const bool has_actors = top.Has("actors"), has_program = top.Has("program");
  if (has_actors && has_program) {
    const DocNode* program_key = &DocNode::Undefined();
    const DocNode* actors_key = &DocNode::Undefined();
    for (const auto& [key, value] : doc.entries()) {
      if (key->Scalar() == "actors") actors_key = key;
      if (key->Scalar() == "program") program_key = key;
    }
    r.Fail(*actors_key, fmt::format("a scenario runs either built-in actors or a program, not both "
                                    "('program' is on line {})",
                                    r.Where(*program_key).line));
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
  if (auto v = top.Get("steps")) s.steps = doc::ReadSteps(r, *v);
  // Before expect: value and compare may name only what is measured.
  if (auto v = top.Get("measure")) s.measures = doc::ReadMeasures(r, *v);
  doc::MeasuredNames measured;
  measured.any = s.MeasuresAnyName();
  for (const auto& m : s.measures)
    if (std::find(measured.names.begin(), measured.names.end(), m.name) == measured.names.end())
      measured.names.push_back(m.name);
  if (auto v = top.Get("expect")) s.expectations = doc::ReadExpectations(r, *v, measured);
  if (auto v = top.Get("start")) {
    const std::string start = r.String(*v, "start");
    const Actor* a = s.FindActor(start);
    if (!a) r.Fail(*v, fmt::format("start: no actor is called '{}'", start));
    s.start = static_cast<size_t>(a - s.actors.data());
  }
  top.Done();
  // `main` is the program's first process unless the author named something
  // else so: most checks of a program start there.
  auto add_main = [&](std::vector<Role>& roles) {
    for (const auto& role : roles)
      if (role.name == "main") return;
    Role main;
    main.name = "main";
    main.loc = s.loc;
    main.main = true;
    roles.push_back(std::move(main));
  };
  if (s.has_program()) {
    add_main(s.roles);
    for (auto& alternative : s.alternative_roles) add_main(alternative);
  }
  return s;
}
}  // namespace doc

}  // namespace proclab
