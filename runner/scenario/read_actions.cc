// Actors' actions: `- fork: child`, `- sleep: 300ms`, `- signal: {SIGUSR1: [..]}`…
#include <fmt/format.h>
#include <signal.h>

#include "runner/base/signal_names.h"
#include "runner/scenario/read_parts.h"

namespace proclab::doc {
namespace {

const std::vector<std::string> kActions = {
    "fork",  "exec",       "sleep", "exit",  "kill", "signal", "wait", "waitpid",
    "print", "checkpoint", "pause", "alarm", "nice", "setsid", "loop",
};

// Actions that take no value: `- pause`.
bool Bare(const std::string& tag) { return tag == "pause" || tag == "setsid"; }

Action ReadAction(const Reader& r, const DocNode& node) {
  Nesting guard(r, node);
  Tagged t = ReadTagged(r, node, "action", kActions);
  Action a;
  a.loc = r.Where(*t.tag_node);
  const DocNode& v = *t.value;
  if (Bare(t.tag)) {
    if (v.IsDefined() && !v.IsNull()) r.Fail(v, fmt::format("'{}' takes no value", t.tag));
  } else if (!v.IsDefined() || v.IsNull()) {
    r.Fail(*t.tag_node, fmt::format("'{}' needs a value, e.g. '- {}: …'", t.tag, t.tag));
  }
  const std::string& tag = t.tag;
  if (v.IsDefined() && v.IsScalar()) a.name_loc = r.Where(v);
  if (tag == "fork") {
    a.kind = Action::Kind::kFork;
    a.name = r.String(v, "fork");
  } else if (tag == "exec") {
    a.kind = Action::Kind::kExec;
    a.argv = r.StringList(v, "exec");
    if (a.argv.empty()) r.Fail(v, "exec needs the command to run");
  } else if (tag == "sleep") {
    a.kind = Action::Kind::kSleep;
    a.us = r.Duration(v, "sleep");
  } else if (tag == "exit") {
    a.kind = Action::Kind::kExit;
    a.number = static_cast<int>(r.IntIn(v, "exit", 0, 255));
  } else if (tag == "kill") {
    a.kind = Action::Kind::kKill;
    Map m(r, v, "kill");
    const DocNode& to = m.Require("to");
    a.name = r.String(to, "kill.to");
    a.name_loc = r.Where(to);
    a.sig = r.Signal(m.Require("sig"), "kill.sig");
    m.Done();
  } else if (tag == "signal") {
    a.kind = Action::Kind::kSignal;
    if (!v.IsMap() || v.size() != 1)
      r.Fail(v, "signal takes one 'SIGNAME: ignore | default | [actions]' entry");
    const auto& [key, value] = v.entries().front();
    a.sig = r.Signal(*key, "signal");
    const DocNode& what = *value;
    if ((a.sig == SIGKILL || a.sig == SIGSTOP) && !(what.IsScalar() && what.Scalar() == "default"))
      r.Fail(*key, fmt::format("{} cannot be caught or ignored: the kernel always acts on it",
                               SignalName(a.sig)));
    if (what.IsList()) {
      a.disposition = Action::Disposition::kHandle;
      a.body = ReadActions(r, what);
    } else {
      std::string d = r.OneOf(what, fmt::format("the disposition of {}", SignalName(a.sig)),
                              {"ignore", "default"});
      a.disposition = d == "ignore" ? Action::Disposition::kIgnore : Action::Disposition::kDefault;
    }
  } else if (tag == "wait") {
    a.kind = Action::Kind::kWait;
    a.name = r.String(v, "wait");
  } else if (tag == "waitpid") {
    a.kind = Action::Kind::kWaitpid;
    Map m(r, v, "waitpid");
    const DocNode& process = m.Require("process");
    a.name = r.String(process, "waitpid.process");
    a.name_loc = r.Where(process);
    if (auto n = m.Get("nohang")) a.nohang = r.Bool(*n, "waitpid.nohang");
    m.Done();
  } else if (tag == "print") {
    a.kind = Action::Kind::kPrint;
    a.text = r.String(v, "print");
  } else if (tag == "checkpoint") {
    a.kind = Action::Kind::kCheckpoint;
    a.name = r.String(v, "checkpoint");
  } else if (tag == "pause") {
    a.kind = Action::Kind::kPause;
  } else if (tag == "alarm") {
    a.kind = Action::Kind::kAlarm;
    std::string text = r.String(v, "alarm");
    // Whole seconds as alarm(2) takes them, or a duration.
    bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    a.us = digits ? r.IntIn(v, "alarm", 0, 1'000'000) * 1'000'000 : r.Duration(v, "alarm");
  } else if (tag == "nice") {
    a.kind = Action::Kind::kNice;
    a.number = static_cast<int>(r.IntIn(v, "nice", -20, 19));
  } else if (tag == "setsid") {
    a.kind = Action::Kind::kSetsid;
  } else if (tag == "loop") {
    a.kind = Action::Kind::kLoop;
    Map m(r, v, "loop");
    a.number = static_cast<int>(r.IntIn(m.Require("times"), "loop.times", 0, 1000000));
    a.body = ReadActions(r, m.Require("do"));
    m.Done();
  }
  return a;
}

}  // namespace

std::vector<Action> ReadActions(const Reader& r, const DocNode& node) {
  if (!node.IsList()) r.Fail(node, "actions are a list: one '- action' per line");
  std::vector<Action> out;
  for (const DocNode* item : node.items()) out.push_back(ReadAction(r, *item));
  return out;
}

}  // namespace proclab::doc
