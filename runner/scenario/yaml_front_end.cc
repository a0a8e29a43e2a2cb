#include "runner/scenario/yaml_front_end.h"

#include <fmt/format.h>
#include <yaml.h>

#include <fstream>
#include <map>
#include <optional>
#include <vector>

#include "runner/scenario/read_parts.h"
#include "runner/scenario/validate.h"

namespace proclab {
namespace {

// libyaml's parser and event, released on every path.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  yaml_parser_t* get() { return &parser_; }

 private:
  yaml_parser_t parser_{};
};

class YamlEvent {
 public:
  YamlEvent() = default;
  ~YamlEvent() {
    if (filled_) yaml_event_delete(&event_);
  }
  YamlEvent(const YamlEvent&) = delete;
  YamlEvent& operator=(const YamlEvent&) = delete;
  bool Next(yaml_parser_t* p) {
    if (filled_) yaml_event_delete(&event_);
    filled_ = yaml_parser_parse(p, &event_) != 0;
    return filled_;
  }
  const yaml_event_t& operator*() const { return event_; }
  const yaml_event_t* operator->() const { return &event_; }

 private:
  yaml_event_t event_{};
  bool filled_ = false;
};

// YAML's core schema: these plain scalars mean "no value".
bool IsNullScalar(const yaml_event_t& e) {
  if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
  const std::string_view v(reinterpret_cast<const char*>(e.data.scalar.value),
                           e.data.scalar.length);
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

std::string_view Line(std::string_view text, size_t line0) {
  size_t start = 0;
  for (size_t i = 0; i < line0 && start != std::string_view::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return {};
  std::string_view rest = text.substr(start);
  return rest.substr(0, rest.find('\n'));
}

// libyaml's reader (a NUL, another control character, invalid UTF-8) gives
// a byte offset and leaves the mark at the start: the place is counted here,
// in characters as libyaml counts columns.
yaml_mark_t ReaderMark(std::string_view text, size_t offset) {
  yaml_mark_t m{};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++m.column;
    }
  }
  return m;
}

Error SyntaxError(yaml_parser_t* p, std::string_view text, const std::string& path) {
  std::string message = p->problem ? p->problem : "unreadable";
  const yaml_mark_t m =
      p->error == YAML_READER_ERROR ? ReaderMark(text, p->problem_offset) : p->problem_mark;
  if (p->error == YAML_READER_ERROR && p->problem_value >= 0 && p->problem_value < 0x20)
    message = fmt::format("{} (\\x{:02x})", message, p->problem_value);
  // libyaml's words for a tab are obscure; say it plainly.
  if (Line(text, m.line).find('\t') != std::string_view::npos)
    message = fmt::format("this line has a tab; YAML indentation must use spaces ({})", message);
  else if (p->context)
    message += fmt::format(" ({} that began on line {})", p->context, p->context_mark.line + 1);
  return Error(fmt::format("malformed YAML: {}", message),
               SourceLoc{path, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1});
}

// Builds the tree from the event stream. Containers being filled are on a
// stack, each gathering its children until its end event hands them to the
// Document; a mapping alternates between expecting a key and its value. The
// stack's frames are reused, so a deep file does not allocate per container.
class Builder {
 public:
  explicit Builder(Document* doc) : doc_(doc) {}

  // Returns an error message, or "" when the event was taken.
  std::string Take(const yaml_event_t& e) {
    DocNode* node = nullptr;
    const char* anchor = nullptr;
    switch (e.type) {
      case YAML_SCALAR_EVENT:
        node = IsNullScalar(e)
                   ? doc_->Null()
                   : doc_->Scalar(std::string(reinterpret_cast<const char*>(e.data.scalar.value),
                                              e.data.scalar.length));
        anchor = reinterpret_cast<const char*>(e.data.scalar.anchor);
        break;
      case YAML_SEQUENCE_START_EVENT:
        node = doc_->List();
        anchor = reinterpret_cast<const char*>(e.data.sequence_start.anchor);
        break;
      case YAML_MAPPING_START_EVENT:
        node = doc_->Map();
        anchor = reinterpret_cast<const char*>(e.data.mapping_start.anchor);
        break;
      case YAML_ALIAS_EVENT: {
        const std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) return fmt::format("the alias *{} names no anchor", name);
        // The anchored node itself: an alias of an open container makes a
        // cycle, which the reader's nesting limit refuses.
        Attach(it->second);
        return {};
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Open& top = stack_[--depth_];
        doc_->SetKids(top.node, top.kids);
        return {};
      }
      default: return {};
    }
    node->SetPosition(static_cast<int>(e.start_mark.line) + 1,
                      static_cast<int>(e.start_mark.column) + 1);
    if (anchor) anchors_[anchor] = node;
    Attach(node);
    if (node->IsList() || node->IsMap()) Push(node);
    return {};
  }

 private:
  struct Open {
    DocNode* node = nullptr;
    std::vector<const DocNode*> kids;  // a list's items, or a map's keys and values in turn
  };

  void Push(DocNode* node) {
    if (depth_ == stack_.size()) stack_.emplace_back();
    Open& top = stack_[depth_++];
    top.node = node;
    top.kids.clear();
  }

  void Attach(const DocNode* node) {
    if (depth_ == 0) {
      if (!doc_->root()) doc_->SetRoot(node);
      return;
    }
    stack_[depth_ - 1].kids.push_back(node);
  }

  Document* doc_;
  std::vector<Open> stack_;  // stack_[0, depth_) are open
  size_t depth_ = 0;
  std::map<std::string, const DocNode*> anchors_;
};

// libyaml scans a nest of flow collections in time quadratic in its depth
// (each '[' may start a simple key it keeps until its ']'), and the reader
// refuses more than 64 levels only after that. A linear look first refuses
// an absurd nest: '[' and '{' that open a value (after line start, ':', '-',
// ',', or another opener; not inside quotes, comments or plain words).
constexpr int kMaxFlowDepth = 256;

std::optional<SourceLoc> TooDeep(std::string_view text, const std::string& path) {
  int depth = 0, line = 1, column = 0;
  char quote = 0, last = '\n';  // the last character outside quotes that was not blank
  bool comment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
    if (c == '\n') {
      ++line, column = 0, comment = false, last = '\n';
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0, last = c;
      continue;
    }
    if (c == ' ' || c == '\t') continue;
    const bool opens_value =
        last == '\n' || last == ':' || last == '-' || last == ',' || last == '[' || last == '{';
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      comment = true;
    } else if ((c == '"' || c == '\'') && opens_value) {
      quote = c;
    } else if ((c == '[' || c == '{') && opens_value) {
      if (++depth > kMaxFlowDepth) return SourceLoc{path, line, column};
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == '[' || c == '{') {
      last = 'w';  // part of a plain word: "a[[b"
      continue;
    }
    last = c;
  }
  return std::nullopt;
}

}  // namespace

Result<Document> ParseYamlDocument(std::string_view text, const std::string& path) {
  if (auto at = TooDeep(text, path))
    return Error(fmt::format("malformed YAML: collections are nested more than {} levels deep",
                             kMaxFlowDepth),
                 *at);
  Parser parser(text);
  Document doc;
  Builder builder(&doc);
  YamlEvent event;
  for (;;) {
    if (!event.Next(parser.get())) return SyntaxError(parser.get(), text, path);
    // Only the first document counts, as a scenario file holds one.
    if (event->type == YAML_DOCUMENT_END_EVENT || event->type == YAML_STREAM_END_EVENT) break;
    if (std::string why = builder.Take(*event); !why.empty())
      return Error(why, SourceLoc{path, static_cast<int>(event->start_mark.line) + 1,
                                  static_cast<int>(event->start_mark.column) + 1});
  }
  return doc;
}

namespace {

Result<Scenario> ReadYamlDocument(const Document& doc, const std::string& path) {
  const DocNode* root = doc.root();
  if (!root || root->IsNull())
    return Error("the file is empty: a scenario needs at least 'scenario:' and actors or a program",
                 SourceLoc{path, 1, 1});
  try {
    doc::Reader r(path);
    Scenario s = doc::ReadScenario(r, *root, path);
    if (Status st = ValidateScenario(s); !st) return st.error();
    return s;
  } catch (const doc::LoadError& e) {
    return e.error;
  }
}

// The whole file, in one buffer of its own size: a stringstream would hold
// it twice, with slack, for as long as the scenario is read.
Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) return Error(fmt::format("cannot read {}", path));
  std::string text;
  if (const auto size = f.tellg(); size > 0) text.reserve(static_cast<size_t>(size));
  f.seekg(0);
  f.clear();
  char chunk[1 << 16];
  while (f.read(chunk, sizeof chunk) || f.gcount() > 0)
    text.append(chunk, static_cast<size_t>(f.gcount()));
  if (f.bad()) return Error(fmt::format("cannot read {}", path));
  return text;
}

}  // namespace

Result<Scenario> ParseYamlScenario(std::string_view text, const std::string& path) {
  auto doc = ParseYamlDocument(text, path);
  if (!doc) return doc.error();
  return ReadYamlDocument(*doc, path);
}

Result<Scenario> LoadYamlScenario(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text) return text.error();
  auto doc = ParseYamlDocument(*text, path);
  // The document keeps its own copy of every scalar: the file's text can go
  // before the model is built beside the document.
  std::string().swap(*text);
  if (!doc) return doc.error();
  return ReadYamlDocument(*doc, path);
}

Result<Scenario> YamlFrontEnd::Load(const std::string& path) const {
  return LoadYamlScenario(path);
}

}  // namespace proclab
