#include "runner/scenario/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "runner/base/diagnostic.h"

namespace proclab {
namespace {

struct Checker {
  const Scenario& s;
  std::set<std::string> processes;    // actors and roles
  std::set<std::string> checkpoints;  // declared by actions or steps
  bool dynamic_names = false;         // Lua actors name their children at run time
  std::optional<Error> error;

  void Fail(const SourceLoc& loc, std::string message) {
    if (!error) error = Error(std::move(message), loc);
  }

  std::string Hint(const std::string& name, const std::set<std::string>& known) {
    std::string close = ClosestMatch(name, std::vector<std::string>(known.begin(), known.end()));
    if (!close.empty()) return fmt::format("; did you mean '{}'?", close);
    if (known.empty()) return "";
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    return fmt::format(" (known: {})", list);
  }

  // `name` must be a process of this scenario, or one of the `extra` words.
  void Process(const SourceLoc& loc, const std::string& name, const std::string& what,
               std::initializer_list<const char*> extra = {}) {
    if (name.empty() || processes.count(name)) return;
    for (const char* e : extra)
      if (name == e) return;
    if (dynamic_names) return;
    std::set<std::string> known = processes;
    for (const char* e : extra) known.insert(e);
    Fail(loc, fmt::format("{}: no actor or role is called '{}'{}", what, name, Hint(name, known)));
  }

  void Checkpoint(const SourceLoc& loc, const std::string& name, const std::string& what) {
    if (name.empty() || checkpoints.count(name) || dynamic_names) return;
    Fail(loc, fmt::format("{}: no action or step makes a checkpoint called '{}'{}", what, name,
                          Hint(name, checkpoints)));
  }

  void Placeholders(const SourceLoc& loc, const std::string& pattern, const std::string& what) {
    for (const char* tag : {"{pid:", "{ppid:"}) {
      size_t at = 0;
      while ((at = pattern.find(tag, at)) != std::string::npos) {
        size_t start = at + std::string(tag).size();
        size_t end = pattern.find('}', start);
        const std::string name = pattern.substr(start, end - start);
        if (!dynamic_names && !processes.count(name) && name != "lab") {
          std::set<std::string> known = processes;
          known.insert("lab");
          Fail(loc, fmt::format("{}: '{}{}}}' names no actor or role '{}'{}", what, tag, name, name,
                                Hint(name, known)));
        }
        at = end;
      }
    }
  }

  void CollectCheckpoints(const std::vector<Action>& actions) {
    for (const auto& a : actions) {
      if (a.kind == Action::Kind::kCheckpoint) checkpoints.insert(a.name);
      CollectCheckpoints(a.body);
    }
  }

  void Actions(const std::vector<Action>& actions) {
    for (const auto& a : actions) {
      switch (a.kind) {
        case Action::Kind::kFork:
          if (!s.FindActor(a.name))
            Fail(At(a.name_loc, a.loc), fmt::format("fork: no actor is called '{}'{}", a.name,
                                                    Hint(a.name, ActorNames())));
          break;
        case Action::Kind::kKill:
          Process(At(a.name_loc, a.loc), a.name, "kill.to", {"parent", "self"});
          break;
        case Action::Kind::kWait: Process(At(a.name_loc, a.loc), a.name, "wait", {"any"}); break;
        case Action::Kind::kWaitpid:
          Process(At(a.name_loc, a.loc), a.name, "waitpid.process", {"any"});
          break;
        default: break;
      }
      Actions(a.body);
    }
  }

  // The most precise place known: where the name is, else the entry.
  static const SourceLoc& At(const SourceLoc& precise, const SourceLoc& fallback) {
    return precise.line ? precise : fallback;
  }
  static SourceLoc Field(const Expectation& e, const std::string& key) { return e.Where(key); }

  std::set<std::string> ActorNames() {
    std::set<std::string> out;
    for (const auto& a : s.actors) out.insert(a.name);
    return out;
  }

  void Run() {
    for (const auto& a : s.actors) {
      processes.insert(a.name);
      if (a.lua_function >= 0) dynamic_names = true;
      CollectCheckpoints(a.actions);
    }
    for (const auto& r : s.roles) processes.insert(r.name);
    for (const auto& st : s.steps)
      if (st.kind == Step::Kind::kCheckpoint) checkpoints.insert(st.target);

    for (const auto& a : s.actors) Actions(a.actions);
    std::set<std::string> roles;
    for (const auto& r : s.roles) roles.insert(r.name);
    for (const auto& r : s.roles)
      if (!r.child_of.empty() && !s.FindRole(r.child_of))
        Fail(At(r.child_of_loc, r.loc),
             fmt::format("role '{}': child_of names no role called '{}'{}", r.name, r.child_of,
                         Hint(r.child_of, roles)));
    for (const auto& st : s.steps) Step(st);
    for (const auto& m : s.measures) {
      Process(At(m.by_loc, m.loc), m.by, "measure.by");
      Placeholders(m.loc, m.pattern, "measure.match");
    }
    for (const auto& e : s.expectations) Expect(e);
  }

  void Step(const proclab::Step& st) {
    using K = proclab::Step::Kind;
    if ((st.kind == K::kKey) && !s.tty)
      Fail(st.loc, "key presses need a terminal: add 'tty: true' to the scenario");
    if ((st.kind == K::kStdin || st.kind == K::kCloseStdin) && !s.has_program() && !s.tty)
      Fail(st.loc, "stdin steps feed a program (or actors on a terminal, with 'tty: true')");
    if (st.kind == K::kSignal) Process(At(st.target_loc, st.loc), st.target, "signal.to");
    if (st.kind == K::kWaitFor && (st.wait_kind == proclab::Step::WaitKind::kFork ||
                                   st.wait_kind == proclab::Step::WaitKind::kExit))
      Process(At(st.target_loc, st.loc), st.target, "wait_for");
    if (st.kind == K::kWaitFor || st.kind == K::kExpectOutput) {
      Process(At(st.by_loc, st.loc), st.by, "by");
      Placeholders(At(st.pattern_loc, st.loc), st.pattern, "match");
    }
  }

  void Event(const EventName& item, const std::string& what) {
    Process(item.loc, item.process, what);
    Process(item.loc, item.from, what, {"lab", "tty", "kernel"});
    Checkpoint(item.loc, item.name, what);
    Placeholders(item.loc, item.pattern, what);
  }

  void Expect(const Expectation& e) {
    using K = Expectation::Kind;
    Process(Field(e, "process"), e.process, "process");
    if (e.after) {
      if (e.after->kind == EventName::Kind::kKey && !s.tty)
        Fail(e.after->loc, "'after: key …' needs a terminal: add 'tty: true' to the scenario");
      if (e.after->kind != EventName::Kind::kKey) Event(*e.after, "after");
    }
    switch (e.kind) {
      case K::kState: Checkpoint(Field(e, "at"), e.at, "state.at"); break;
      case K::kParent:
        Process(Field(e, "is"), e.is, "parent.is", {"lab"});
        Checkpoint(Field(e, "at"), e.at, "parent.at");
        break;
      case K::kReaped: Process(Field(e, "by"), e.by, "reaped.by", {"lab", "kernel"}); break;
      case K::kSignal:
      case K::kNoSignal:
        Process(Field(e, "from"), e.from, "from", {"lab", "tty", "kernel"});
        Process(Field(e, "to"), e.to, "to");
        break;
      case K::kOutput:
      case K::kNoOutput:
        Process(Field(e, "by"), e.by, "by");
        Placeholders(Field(e, "match"), e.pattern, "match");
        break;
      case K::kOrder:
        for (const auto& item : e.order) Event(item, "order");
        break;
      case K::kFiles: Placeholders(Field(e, "match"), e.pattern, "match"); break;
      case K::kSections:
        if (!e.sections) break;
        Process(Field(e, "by"), e.sections->by, "sections.by");
        Placeholders(Field(e, "enter"), e.sections->enter, "sections.enter");
        Placeholders(Field(e, "leave"), e.sections->leave, "sections.leave");
        break;
      case K::kParallelism:
        if (e.resources && e.resources->from) Event(*e.resources->from, "parallelism.from");
        if (e.resources && e.resources->to) Event(*e.resources->to, "parallelism.to");
        break;
      default: break;
    }
  }
};

}  // namespace

// Alternative role assignments (`roles:` as a list): each is checked as if
// it were the only one; all name the same roles; and the names steps use
// mean the same processes in every one, because steps run before the judge
// knows which assignment fits.
Status ValidateAlternatives(const Scenario& s) {
  std::set<std::string> names;
  for (const auto& r : s.roles) names.insert(r.name);
  std::set<std::string> step_names;
  for (const auto& st : s.steps)
    for (const std::string* n : {&st.target, &st.by})
      if (!n->empty() && s.FindRole(*n)) step_names.insert(*n);
  int number = 1;
  for (const auto& alternative : s.alternative_roles) {
    ++number;
    const SourceLoc loc = alternative.empty() ? s.loc : alternative.front().loc;
    std::set<std::string> these;
    for (const auto& r : alternative) these.insert(r.name);
    if (these != names) {
      std::string differ;
      for (const auto& n : names)
        if (!these.count(n)) differ += (differ.empty() ? "" : ", ") + n;
      for (const auto& n : these)
        if (!names.count(n)) differ += (differ.empty() ? "" : ", ") + n;
      return Error(fmt::format("role assignment {} must name the same roles as the first "
                               "(these differ: {})",
                               number, differ),
                   loc);
    }
    for (const auto& r : alternative) {
      if (!step_names.count(r.name)) continue;
      if (!r.SameRule(*s.FindRole(r.name)))
        return Error(fmt::format("role '{}' is a step's target, so it must mean the same "
                                 "process in every role assignment (steps run before the "
                                 "judge picks one); name a structural role such as main in "
                                 "the step instead",
                                 r.name),
                     r.loc);
    }
    Scenario one = s;
    one.roles = alternative;
    one.alternative_roles.clear();
    Checker c{one, {}, {}, false, std::nullopt};
    c.Run();
    if (c.error) return *c.error;
  }
  return {};
}

Status ValidateScenario(const Scenario& s) {
  Checker c{s, {}, {}, false, std::nullopt};
  c.Run();
  if (c.error) return *c.error;
  return ValidateAlternatives(s);
}

}  // namespace proclab
