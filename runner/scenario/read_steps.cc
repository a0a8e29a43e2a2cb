// Steps (the stimuli, in order) and roles (names for a program's processes).
#include <fmt/format.h>

#include "runner/scenario/read_parts.h"

namespace proclab::doc {
namespace {

const std::vector<std::string> kSteps = {
    "sleep",       "wait_for",      "signal",     "key",    "stdin",
    "close_stdin", "expect_output", "checkpoint", "settle",
};

// `required:` and `points:` of the steps that wait.
void ReadGrading(const Reader& r, Map& m, const std::string& what, Step* s) {
  if (auto q = m.Get("required")) s->required = r.Bool(*q, what + ".required");
  if (auto p = m.Get("points")) {
    s->points = r.Number(*p, what + ".points");
    if (*s->points < 0) r.Fail(*p, what + ".points must be 0 or more");
  }
}

Step ReadStep(const Reader& r, const DocNode& node) {
  Tagged t = ReadTagged(r, node, "step", kSteps);
  Step s;
  s.loc = r.Where(*t.tag_node);
  const DocNode& v = *t.value;
  if (t.tag != "close_stdin" && t.tag != "settle" && (!v.IsDefined() || v.IsNull()))
    r.Fail(*t.tag_node, fmt::format("'{}' needs a value", t.tag));
  if (t.tag == "sleep") {
    s.kind = Step::Kind::kSleep;
    s.us = r.Duration(v, "sleep");
  } else if (t.tag == "wait_for") {
    s.kind = Step::Kind::kWaitFor;
    Map m(r, v, "wait_for");
    int found = 0;
    if (auto f = m.Get("fork")) {
      s.wait_kind = Step::WaitKind::kFork;
      s.target = r.String(*f, "wait_for.fork");
      s.target_loc = r.Where(*f);
      ++found;
    }
    if (auto f = m.Get("exit")) {
      s.wait_kind = Step::WaitKind::kExit;
      s.target = r.String(*f, "wait_for.exit");
      s.target_loc = r.Where(*f);
      ++found;
    }
    if (auto f = m.Get("output")) {
      s.wait_kind = Step::WaitKind::kOutput;
      s.pattern = r.Pattern(*f, "wait_for.output");
      s.pattern_loc = r.Where(*f);
      ++found;
    }
    if (auto f = m.Get("checkpoint")) {
      s.wait_kind = Step::WaitKind::kCheckpoint;
      s.target = r.String(*f, "wait_for.checkpoint");
      ++found;
    }
    if (found != 1) r.Fail(v, "wait_for takes exactly one of fork, exit, output or checkpoint");
    if (auto by = m.Get("by")) {
      s.by = r.String(*by, "wait_for.by");
      s.by_loc = r.Where(*by);
    }
    s.stream = ReadStream(r, m);
    if (auto w = m.Get("within")) s.us = r.Duration(*w, "wait_for.within");
    if (auto q = m.Get("partial")) {
      s.partial = r.Bool(*q, "wait_for.partial");
      if (s.wait_kind != Step::WaitKind::kOutput) r.Fail(*q, "partial goes with wait_for output");
    }
    ReadGrading(r, m, "wait_for", &s);
    m.Done();
  } else if (t.tag == "signal") {
    s.kind = Step::Kind::kSignal;
    Map m(r, v, "signal");
    const DocNode& to = m.Require("to");
    s.target = r.String(to, "signal.to");
    s.target_loc = r.Where(to);
    s.sig = r.Signal(m.Require("sig"), "signal.sig");
    m.Done();
  } else if (t.tag == "key") {
    s.kind = Step::Kind::kKey;
    s.key = r.OneOf(v, "key", KeyNames());
  } else if (t.tag == "stdin") {
    s.kind = Step::Kind::kStdin;
    s.text = r.String(v, "stdin");
  } else if (t.tag == "close_stdin") {
    s.kind = Step::Kind::kCloseStdin;
    if (v.IsDefined() && !v.IsNull()) r.Fail(v, "close_stdin takes no value");
  } else if (t.tag == "expect_output") {
    s.kind = Step::Kind::kExpectOutput;
    Map m(r, v, "expect_output");
    const DocNode& match = m.Require("match");
    s.pattern = r.Pattern(match, "expect_output.match");
    s.pattern_loc = r.Where(match);
    if (auto by = m.Get("by")) {
      s.by = r.String(*by, "expect_output.by");
      s.by_loc = r.Where(*by);
    }
    s.stream = ReadStream(r, m);
    if (auto w = m.Get("within")) s.us = r.Duration(*w, "expect_output.within");
    if (auto q = m.Get("partial")) s.partial = r.Bool(*q, "expect_output.partial");
    ReadGrading(r, m, "expect_output", &s);
    m.Done();
  } else if (t.tag == "checkpoint") {
    s.kind = Step::Kind::kCheckpoint;
    s.target = r.String(v, "checkpoint");
  } else if (t.tag == "settle") {
    // `- settle` or `- settle: {quiet: 300ms, within: 5s}`
    s.kind = Step::Kind::kSettle;
    if (v.IsDefined() && !v.IsNull()) {
      Map m(r, v, "settle");
      if (auto q = m.Get("quiet")) s.quiet_us = r.Duration(*q, "settle.quiet");
      if (auto w = m.Get("within")) s.us = r.Duration(*w, "settle.within");
      m.Done();
    }
  }
  return s;
}

}  // namespace

std::vector<Step> ReadSteps(const Reader& r, const DocNode& node) {
  if (!node.IsList()) r.Fail(node, "steps are a list: one '- step' per line");
  std::vector<Step> out;
  for (const DocNode* item : node.items()) out.push_back(ReadStep(r, *item));
  return out;
}

std::vector<Role> ReadRoles(const Reader& r, const DocNode& node) {
  if (!node.IsMap()) r.Fail(node, "roles map each role's name to how to find its process");
  std::vector<Role> out;
  for (const auto& [key, value] : node.entries()) {
    Role role;
    role.name = r.String(*key, "a role's name");
    role.loc = r.Where(*key);
    for (const auto& other : out)
      if (other.name == role.name)
        r.Fail(*key, fmt::format("role '{}' is defined twice", role.name));
    if (role.name == "lab" || role.name == "tty" || role.name == "kernel")
      r.Fail(*key, fmt::format("'{}' is a reserved name", role.name));
    const DocNode& v = *value;
    if (v.IsScalar()) {
      r.OneOf(v, fmt::format("role '{}'", role.name), {"main"});
      role.main = true;
    } else {
      Map m(r, v, fmt::format("role '{}'", role.name));
      if (auto c = m.Get("child_of")) {
        role.child_of = r.String(*c, "child_of");
        role.child_of_loc = r.Where(*c);
      }
      if (auto n = m.Get("nth"))
        role.nth = static_cast<int>(r.IntIn(*n, "nth (counting from 1)", 1, 1000000));
      if (auto c = m.Get("comm")) role.comm = r.String(*c, "comm");
      if (auto a = m.Get("argv")) role.argv_regex = r.Pattern(*a, "argv");
      m.Done();
      if (role.child_of.empty() && role.comm.empty() && role.argv_regex.empty())
        r.Fail(v, fmt::format("role '{}' needs child_of, comm or argv", role.name));
      if (role.nth && role.child_of.empty()) r.Fail(*m.Get("nth"), "nth goes with child_of");
    }
    out.push_back(std::move(role));
  }
  return out;
}

}  // namespace proclab::doc
