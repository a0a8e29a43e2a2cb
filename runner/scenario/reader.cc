#include "runner/scenario/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "runner/base/diagnostic.h"
#include "runner/base/regex.h"
#include "runner/base/signal_names.h"
#include "runner/base/units.h"

namespace proclab::doc {
namespace {

std::string Kind(const DocNode& node) {
  switch (node.kind()) {
    case DocNode::Kind::kMap: return "a mapping";
    case DocNode::Kind::kList: return "a list";
    case DocNode::Kind::kScalar: return fmt::format("'{}'", node.Scalar());
    case DocNode::Kind::kFunction: return "a function";
    default: return "nothing";
  }
}

std::string Suggest(const std::string& word, const std::vector<std::string>& choices) {
  std::string close = ClosestMatch(word, choices);
  return close.empty() ? std::string() : fmt::format("; did you mean '{}'?", close);
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace

SourceLoc Reader::Where(const DocNode& node) const {
  return SourceLoc{file_, node.line(), node.column()};
}

void Reader::Enter(const DocNode& node) const {
  if (++depth_ > 64)
    Fail(node,
         "actions are nested too deeply (more than 64 levels: an alias that includes itself?)");
  if (++nodes_ > 200000)
    Fail(node,
         "the scenario is too large (more than 200000 entries: aliases repeating each other?)");
}

int64_t Reader::IntIn(const DocNode& node, const std::string& what, int64_t lo, int64_t hi) const {
  const int64_t v = Int(node, what);
  if (v < lo || v > hi)
    Fail(node, fmt::format("{}: {} is out of range ({} to {})", what, v, lo, hi));
  return v;
}

void Reader::Fail(const DocNode& node, const std::string& message) const {
  // Nodes from a syntax without lines (a Lua table) say where in the
  // document they are instead ("expect[2].exit").
  if (node.line() == 0 && !node.place().empty())
    throw LoadError(Error(std::string(node.place()) + ": " + message, Where(node)));
  throw LoadError(Error(message, Where(node)));
}

std::string Reader::String(const DocNode& node, const std::string& what) const {
  if (!node.IsScalar()) Fail(node, fmt::format("{} must be text, not {}", what, Kind(node)));
  // A NUL would silently cut an argument, a name or an environment value.
  if (node.Scalar().find('\0') != std::string::npos)
    Fail(node, fmt::format("{} holds a NUL character (\\0), which no argument, name or text "
                           "passed to a program can carry",
                           what));
  return std::string(node.Scalar());
}

int64_t Reader::Int(const DocNode& node, const std::string& what) const {
  std::string s = String(node, what);
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used, 10);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  Fail(node, fmt::format("{} must be a whole number, not '{}'", what, s));
}

double Reader::Number(const DocNode& node, const std::string& what) const {
  std::string s = String(node, what);
  try {
    size_t used = 0;
    double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  Fail(node, fmt::format("{} must be a number, not '{}'", what, s));
}

bool Reader::Bool(const DocNode& node, const std::string& what) const {
  std::string s = String(node, what);
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  Fail(node, fmt::format("{} must be true or false, not '{}'", what, s));
}

int64_t Reader::Duration(const DocNode& node, const std::string& what) const {
  std::string s = String(node, what);
  auto us = ParseDurationUs(s);
  if (us) return *us;
  if (!s.empty() && s.find_first_not_of("0123456789.") == std::string::npos)
    Fail(node, fmt::format("{}: '{}' has no unit; did you mean {}s?", what, s, s));
  if (!s.empty() && s[0] == '-') Fail(node, fmt::format("{}: a duration cannot be negative", what));
  Fail(node, fmt::format("{}: '{}' is not a duration (write 250ms, 1.5s or 2m)", what, s));
}

int64_t Reader::Size(const DocNode& node, const std::string& what) const {
  std::string s = String(node, what);
  auto bytes = ParseSize(s);
  if (!bytes)
    Fail(node, fmt::format("{}: '{}' is not a size (write 64KiB, 1MiB or 4096)", what, s));
  return *bytes;
}

std::string NotASignal(const std::string& s) {
  std::vector<std::string> names;
  for (int i = 1; i < 32; ++i) names.push_back(SignalName(i));
  std::string upper = s;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  if (upper.rfind("SIG", 0) != 0) upper = "SIG" + upper;
  return fmt::format("'{}' is not a signal (write SIGUSR1, USR1 or 10){}", s,
                     Suggest(upper, names));
}

int Reader::Signal(const DocNode& node, const std::string& what) const {
  std::string s = String(node, what);
  auto sig = ParseSignal(s);
  if (!sig) Fail(node, fmt::format("{}: {}", what, NotASignal(s)));
  return *sig;
}

std::vector<std::string> Reader::StringList(const DocNode& node, const std::string& what) const {
  std::vector<std::string> out;
  if (node.IsScalar()) return {std::string(node.Scalar())};
  if (!node.IsList()) Fail(node, fmt::format("{} must be a list, not {}", what, Kind(node)));
  for (const DocNode* item : node.items()) out.push_back(String(*item, what));
  return out;
}

std::string Reader::Pattern(const DocNode& node, const std::string& what) const {
  // A list means any of them: 发车了, 开车了 and "let's go" all count.
  if (node.IsList()) {
    if (node.size() == 0) Fail(node, fmt::format("{}: the list of patterns is empty", what));
    std::string any;
    for (const DocNode* item : node.items())
      any += fmt::format("{}(?:{})", any.empty() ? "" : "|", Pattern(*item, what));
    return any;
  }
  std::string s = String(node, what);
  // {pid:NAME} and {ppid:NAME} become numbers later; check the rest now.
  std::string probe = s;
  for (const char* tag : {"{pid:", "{ppid:"}) {
    size_t at;
    while ((at = probe.find(tag)) != std::string::npos) {
      size_t end = probe.find('}', at);
      if (end == std::string::npos)
        Fail(node, fmt::format("{}: '{}' is missing its '}}'", what, tag));
      probe = probe.substr(0, at) + '1' + probe.substr(end + 1);
    }
  }
  auto re = Regex::Compile(probe);
  if (!re) Fail(node, fmt::format("{}: {}", what, re.error().message));
  return s;
}

std::string Reader::OneOf(const DocNode& node, const std::string& what,
                          const std::vector<std::string>& choices) const {
  std::string s = String(node, what);
  if (std::find(choices.begin(), choices.end(), s) == choices.end())
    Fail(node,
         fmt::format("{} must be {}, not '{}'{}", what, Join(choices), s, Suggest(s, choices)));
  return s;
}

Map::Map(const Reader& r, const DocNode& node, std::string what)
    : r_(r), node_(&node), what_(std::move(what)) {
  // An empty Lua table arrives as an empty list: it is an empty mapping too.
  static const DocNode* const kEmpty = [] {
    static Document doc;
    return doc.Map();
  }();
  if (node.IsList() && node.size() == 0) node_ = kEmpty;
  if (!node_->IsMap())
    r.Fail(node, fmt::format("{} must be a mapping of keys to values, not {}", what_, Kind(node)));
  // Two equal keys: silently keeping one (a second `expect:` block, say)
  // would be worse than refusing.
  std::set<std::string_view> seen;
  for (const auto& [key, value] : node_->entries()) {
    if (!key->IsScalar()) continue;
    if (!seen.insert(key->Scalar()).second)
      r.Fail(*key,
             fmt::format("'{}' appears twice in {}; the second would silently replace the first",
                         key->Scalar(), what_));
  }
}

const DocNode* Map::Get(const std::string& key) {
  known_.push_back(key);
  const DocNode& v = (*node_)[key];
  return v.IsDefined() ? &v : nullptr;
}

const DocNode& Map::Require(const std::string& key) {
  if (const DocNode* v = Get(key)) return *v;
  // A misspelt required key is the likelier story than a forgotten one.
  for (const auto& [k, value] : node_->entries()) {
    const std::string name(k->IsScalar() ? k->Scalar() : "");
    if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
    if (ClosestMatch(name, {key}) == key)
      r_.Fail(k->line() == 0 ? *node_ : *k,
              fmt::format("unknown key '{}' in {}; did you mean '{}'?", name, what_, key));
  }
  r_.Fail(*node_, fmt::format("{} needs '{}'", what_, key));
}

void Map::Allow(const std::vector<std::string>& keys) {
  known_.insert(known_.end(), keys.begin(), keys.end());
}

void Map::Done() {
  for (const auto& [k, value] : node_->entries()) {
    std::string key(k->IsScalar() ? k->Scalar() : "?");
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::vector<std::string> choices = known_;
    std::sort(choices.begin(), choices.end());
    choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
    std::string hint = Suggest(key, choices);
    if (hint.empty()) hint = fmt::format(" (expected {})", Join(choices));
    // A key from a Lua table has no place of its own: its table has.
    r_.Fail(k->line() == 0 ? *node_ : *k,
            fmt::format("unknown key '{}' in {}{}", key, what_, hint));
  }
}

Tagged ReadTagged(const Reader& r, const DocNode& node, const std::string& what,
                  const std::vector<std::string>& tags) {
  Tagged t;
  if (node.IsScalar()) {
    t.tag = node.Scalar();
    t.tag_node = &node;
  } else if (node.IsMap() && node.size() == 1) {
    const auto& [key, value] = node.entries().front();
    t.tag = key->Scalar();
    t.tag_node = key;
    t.value = value;
  } else if (node.IsMap()) {
    r.Fail(node, fmt::format(
                     "each {} is one 'name: value' entry; start another '- ' line for the next one",
                     what));
  } else {
    r.Fail(node, fmt::format("{} must be a word or 'name: value', not {}", what, Kind(node)));
  }
  if (std::find(tags.begin(), tags.end(), t.tag) == tags.end()) {
    std::string hint = Suggest(t.tag, tags);
    if (hint.empty()) hint = fmt::format(" (expected {})", Join(tags));
    r.Fail(*t.tag_node, fmt::format("unknown {} '{}'{}", what, t.tag, hint));
  }
  return t;
}

}  // namespace proclab::doc
