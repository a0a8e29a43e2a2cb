#include "runner/scenario/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "runner/base/diagnostic.h"
#include "runner/base/regex.h"
#include "runner/base/signal_names.h"
#include "runner/base/units.h"

namespace proclab::yaml {
namespace {

std::string Kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return fmt::format("'{}'", node.Scalar());
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

SourceLoc Reader::Where(const YAML::Node& node) const {
  SourceLoc loc;
  loc.file = file_;
  const YAML::Mark m = node.Mark();
  if (!m.is_null()) {
    loc.line = m.line + 1;
    loc.column = m.column + 1;
    // yaml-cpp counts bytes; people (and editors) count characters.
    if (m.pos >= m.column && static_cast<size_t>(m.pos) <= source_.size()) {
      int chars = 0;
      for (size_t i = static_cast<size_t>(m.pos - m.column); i < static_cast<size_t>(m.pos); ++i)
        chars += (static_cast<unsigned char>(source_[i]) & 0xC0) != 0x80;
      loc.column = chars + 1;
    }
  }
  return loc;
}

void Reader::Enter(const YAML::Node& node) const {
  if (++depth_ > 64)
    Fail(node,
         "actions are nested too deeply (more than 64 levels: an alias that includes itself?)");
  if (++nodes_ > 200000)
    Fail(node,
         "the scenario is too large (more than 200000 entries: aliases repeating each other?)");
}

int64_t Reader::IntIn(const YAML::Node& node, const std::string& what, int64_t lo,
                      int64_t hi) const {
  const int64_t v = Int(node, what);
  if (v < lo || v > hi)
    Fail(node, fmt::format("{}: {} is out of range ({} to {})", what, v, lo, hi));
  return v;
}

void Reader::Fail(const YAML::Node& node, const std::string& message) const {
  // Nodes built from a Lua table have no line; their tag says where in the
  // table they came from ("lua:expect[2].exit").
  const std::string tag = node.IsDefined() ? node.Tag() : "";
  if (node.Mark().is_null() && tag.rfind("lua:", 0) == 0)
    throw LoadError(Error(tag.size() > 4 ? tag.substr(4) + ": " + message : message, Where(node)));
  throw LoadError(Error(message, Where(node)));
}

std::string Reader::String(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) Fail(node, fmt::format("{} must be text, not {}", what, Kind(node)));
  return node.Scalar();
}

int64_t Reader::Int(const YAML::Node& node, const std::string& what) const {
  std::string s = String(node, what);
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used, 10);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  Fail(node, fmt::format("{} must be a whole number, not '{}'", what, s));
}

double Reader::Number(const YAML::Node& node, const std::string& what) const {
  std::string s = String(node, what);
  try {
    size_t used = 0;
    double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  Fail(node, fmt::format("{} must be a number, not '{}'", what, s));
}

bool Reader::Bool(const YAML::Node& node, const std::string& what) const {
  std::string s = String(node, what);
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  Fail(node, fmt::format("{} must be true or false, not '{}'", what, s));
}

int64_t Reader::Duration(const YAML::Node& node, const std::string& what) const {
  std::string s = String(node, what);
  auto us = ParseDurationUs(s);
  if (us) return *us;
  if (!s.empty() && s.find_first_not_of("0123456789.") == std::string::npos)
    Fail(node, fmt::format("{}: '{}' has no unit; did you mean {}s?", what, s, s));
  if (!s.empty() && s[0] == '-') Fail(node, fmt::format("{}: a duration cannot be negative", what));
  Fail(node, fmt::format("{}: '{}' is not a duration (write 250ms, 1.5s or 2m)", what, s));
}

int64_t Reader::Size(const YAML::Node& node, const std::string& what) const {
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

int Reader::Signal(const YAML::Node& node, const std::string& what) const {
  std::string s = String(node, what);
  auto sig = ParseSignal(s);
  if (!sig) Fail(node, fmt::format("{}: {}", what, NotASignal(s)));
  return *sig;
}

std::vector<std::string> Reader::StringList(const YAML::Node& node, const std::string& what) const {
  std::vector<std::string> out;
  if (node.IsScalar()) return {node.Scalar()};
  if (!node.IsSequence()) Fail(node, fmt::format("{} must be a list, not {}", what, Kind(node)));
  for (const auto& item : node) out.push_back(String(item, what));
  return out;
}

std::string Reader::Pattern(const YAML::Node& node, const std::string& what) const {
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

std::string Reader::OneOf(const YAML::Node& node, const std::string& what,
                          const std::vector<std::string>& choices) const {
  std::string s = String(node, what);
  if (std::find(choices.begin(), choices.end(), s) == choices.end())
    Fail(node,
         fmt::format("{} must be {}, not '{}'{}", what, Join(choices), s, Suggest(s, choices)));
  return s;
}

Map::Map(const Reader& r, const YAML::Node& node, std::string what)
    : r_(r), node_(node), what_(std::move(what)) {
  // An empty Lua table arrives as an empty list: it is an empty mapping too.
  if (node.IsSequence() && node.size() == 0) node_ = YAML::Node(YAML::NodeType::Map);
  if (!node_.IsMap())
    r.Fail(node, fmt::format("{} must be a mapping of keys to values, not {}", what_, Kind(node)));
  // yaml-cpp keeps the last of two equal keys; silently losing the first
  // (a second `expect:` block, say) would be worse than refusing.
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) continue;
    if (!seen.insert(kv.first.Scalar()).second)
      r.Fail(kv.first,
             fmt::format("'{}' appears twice in {}; the second would silently replace the first",
                         kv.first.Scalar(), what_));
  }
}

std::optional<YAML::Node> Map::Get(const std::string& key) {
  known_.push_back(key);
  YAML::Node v = node_[key];
  if (!v.IsDefined()) return std::nullopt;
  return v;
}

YAML::Node Map::Require(const std::string& key) {
  auto v = Get(key);
  if (v) return *v;
  // A misspelt required key is the likelier story than a forgotten one.
  for (const auto& kv : node_) {
    const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (std::find(known_.begin(), known_.end(), k) != known_.end()) continue;
    if (ClosestMatch(k, {key}) == key)
      r_.Fail(kv.first.Mark().is_null() ? node_ : kv.first,
              fmt::format("unknown key '{}' in {}; did you mean '{}'?", k, what_, key));
  }
  r_.Fail(node_, fmt::format("{} needs '{}'", what_, key));
}

void Map::Allow(const std::vector<std::string>& keys) {
  known_.insert(known_.end(), keys.begin(), keys.end());
}

void Map::Done() {
  for (const auto& kv : node_) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::vector<std::string> choices = known_;
    std::sort(choices.begin(), choices.end());
    choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
    std::string hint = Suggest(key, choices);
    if (hint.empty()) hint = fmt::format(" (expected {})", Join(choices));
    // A key from a Lua table has no place of its own: its table has.
    r_.Fail(kv.first.Mark().is_null() ? node_ : kv.first,
            fmt::format("unknown key '{}' in {}{}", key, what_, hint));
  }
}

Tagged ReadTagged(const Reader& r, const YAML::Node& node, const std::string& what,
                  const std::vector<std::string>& tags) {
  Tagged t;
  if (node.IsScalar()) {
    t.tag = node.Scalar();
    t.tag_node = node;
  } else if (node.IsMap() && node.size() == 1) {
    auto it = node.begin();
    t.tag = it->first.Scalar();
    t.tag_node = it->first;
    t.value = it->second;
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
    r.Fail(t.tag_node, fmt::format("unknown {} '{}'{}", what, t.tag, hint));
  }
  return t;
}

}  // namespace proclab::yaml
