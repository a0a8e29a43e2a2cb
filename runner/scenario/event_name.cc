#include "runner/scenario/event_name.h"

#include <fmt/format.h>

#include "runner/base/regex.h"
#include "runner/base/signal_names.h"
#include "runner/scenario/reader.h"

namespace proclab {
namespace {

bool Space(char c) { return c == ' ' || c == '\t'; }

// Splits off the next word; "" at the end.
std::string Word(std::string& rest) {
  size_t start = 0;
  while (start < rest.size() && Space(rest[start])) ++start;
  size_t end = start;
  while (end < rest.size() && !Space(rest[end])) ++end;
  std::string w = rest.substr(start, end - start);
  rest = rest.substr(end);
  return w;
}

std::string Forms() {
  return "write 'exit X', 'fork X', 'exec X', 'reap X', 'signal SIG [from S] [to X]', "
         "'output \"RE\" [by X]' or 'checkpoint NAME', optionally followed by '#N'";
}

}  // namespace

Result<EventName> ParseEventName(std::string_view text) {
  EventName e;
  e.text = std::string(text);
  std::string rest = e.text;
  auto bad = [&]() { return Error(fmt::format("'{}' is not an event: {}", e.text, Forms())); };
  // The occurrence, "#N", is the last word.
  {
    std::string body = rest;
    while (!body.empty() && Space(body.back())) body.pop_back();
    const size_t hash = body.rfind('#');
    if (hash != std::string::npos && hash > 0 && Space(body[hash - 1]) &&
        body.find('"', hash) == std::string::npos) {
      const std::string n = body.substr(hash + 1);
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 6 ||
          std::stoi(n) < 1)
        return Error(fmt::format("'{}': after '#' comes the occurrence, a number from 1", e.text));
      e.nth = std::stoi(n);
      rest = body.substr(0, hash);
    }
  }
  const std::string verb = Word(rest);
  auto one_name = [&](std::string* out) -> bool {
    *out = Word(rest);
    return !out->empty() && Word(rest).empty();
  };
  if (verb == "exit" || verb == "fork" || verb == "reap" || verb == "exec") {
    e.kind = verb == "exit"   ? EventName::Kind::kExit
             : verb == "fork" ? EventName::Kind::kFork
             : verb == "reap" ? EventName::Kind::kReap
                              : EventName::Kind::kExec;
    if (!one_name(&e.process)) return bad();
  } else if (verb == "checkpoint") {
    e.kind = EventName::Kind::kCheckpoint;
    if (!one_name(&e.name)) return bad();
  } else if (verb == "key") {
    e.kind = EventName::Kind::kKey;
    if (!one_name(&e.name)) return bad();
    if (e.name != "ctrl-c" && e.name != "ctrl-backslash" && e.name != "ctrl-z" &&
        e.name != "ctrl-d")
      return Error(fmt::format("'{}': a key is ctrl-c, ctrl-backslash, ctrl-z or ctrl-d", e.text));
  } else if (verb == "signal") {
    e.kind = EventName::Kind::kSignal;
    const std::string sig = Word(rest);
    auto n = ParseSignal(sig);
    if (!n) {
      if (sig.empty()) return bad();
      return Error(fmt::format("'{}': {}", e.text, doc::NotASignal(sig)));
    }
    e.sig = *n;
    for (std::string word = Word(rest); !word.empty(); word = Word(rest)) {
      std::string* slot = word == "from" ? &e.from : word == "to" ? &e.process : nullptr;
      if (!slot || !slot->empty()) return bad();
      *slot = Word(rest);
      if (slot->empty()) return bad();
    }
  } else if (verb == "output") {
    e.kind = EventName::Kind::kOutput;
    size_t start = 0;
    while (start < rest.size() && Space(rest[start])) ++start;
    const size_t close = rest.rfind('"');
    if (start >= rest.size() || rest[start] != '"' || close == start) return bad();
    e.pattern = rest.substr(start + 1, close - start - 1);
    auto re = Regex::Compile(e.pattern);
    if (!re) return Error(fmt::format("'{}': {}", e.text, re.error().message));
    std::string tail = rest.substr(close + 1);
    const std::string by = Word(tail);
    if (!by.empty()) {
      if (by != "by") return bad();
      e.process = Word(tail);
      if (e.process.empty() || !Word(tail).empty()) return bad();
    }
  } else {
    return bad();
  }
  return e;
}

}  // namespace proclab
