// A scenario file's content before it is read into the model: a tree of
// mappings, lists and scalars, each knowing where it was written. Both
// syntaxes produce it — YAML (yaml_front_end.h) and Lua tables (scripting/) —
// and one reader (reader.h) turns it into a Scenario, so the two syntaxes
// cannot drift apart.
//
// A Document owns its nodes; nodes refer to each other by pointer, so a YAML
// alias is the anchored node itself, not a copy: a file of aliases repeating
// each other costs its own size, and the reader's limits see the expansion.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace proclab {

class DocNode {
 public:
  enum class Kind : uint8_t {
    kUndefined,  // a key that is not there
    kNull,       // `key:` with no value, `~`, or Lua's nil
    kScalar,     // text; numbers and booleans arrive as their text
    kList,
    kMap,       // keys are scalars, kept in the order written (duplicates too)
    kFunction,  // code of the scenario's script (a Lua function): function_ref()
  };
  using Entry = std::pair<const DocNode*, const DocNode*>;

  // The node every missing key reads as.
  static const DocNode& Undefined();

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] bool IsDefined() const { return kind_ != Kind::kUndefined; }
  [[nodiscard]] bool IsNull() const { return kind_ == Kind::kNull; }
  [[nodiscard]] bool IsScalar() const { return kind_ == Kind::kScalar; }
  [[nodiscard]] bool IsList() const { return kind_ == Kind::kList; }
  [[nodiscard]] bool IsMap() const { return kind_ == Kind::kMap; }
  [[nodiscard]] bool IsFunction() const { return kind_ == Kind::kFunction; }

  [[nodiscard]] const std::string& Scalar() const { return text_; }
  [[nodiscard]] int function_ref() const { return function_ref_; }
  [[nodiscard]] const std::vector<const DocNode*>& items() const { return items_; }  // a list's
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }       // a map's
  [[nodiscard]] size_t size() const { return IsMap() ? entries_.size() : items_.size(); }
  // A map's value for `key` (the first, if written twice), or Undefined().
  const DocNode& operator[](std::string_view key) const;

  // Where it was written: 1-based line and character column; 0 when the
  // syntax has no lines (a Lua table).
  [[nodiscard]] int line() const { return line_; }
  [[nodiscard]] int column() const { return column_; }
  // For syntaxes without lines: the path inside the document, as its author
  // would name it ("expect[2].exit").
  [[nodiscard]] const std::string& place() const { return place_; }

  void Append(const DocNode* item) { items_.push_back(item); }
  void Insert(const DocNode* key, const DocNode* value) { entries_.emplace_back(key, value); }
  void SetPosition(int line, int column) {
    line_ = line;
    column_ = column;
  }
  void SetPlace(std::string place) { place_ = std::move(place); }

 private:
  friend class Document;
  Kind kind_ = Kind::kUndefined;
  int line_ = 0;
  int column_ = 0;
  int function_ref_ = -1;
  std::string text_;
  std::vector<const DocNode*> items_;
  std::vector<Entry> entries_;
  std::string place_;
};

class Document {
 public:
  Document() = default;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;
  Document(Document&&) = default;
  Document& operator=(Document&&) = default;

  DocNode* Null() { return Make(DocNode::Kind::kNull); }
  DocNode* Scalar(std::string text);
  DocNode* List() { return Make(DocNode::Kind::kList); }
  DocNode* Map() { return Make(DocNode::Kind::kMap); }
  DocNode* Function(int ref);

  [[nodiscard]] const DocNode* root() const { return root_; }
  void SetRoot(const DocNode* root) { root_ = root; }
  [[nodiscard]] size_t nodes() const { return nodes_.size(); }

 private:
  DocNode* Make(DocNode::Kind kind);
  std::deque<DocNode> nodes_;  // stable addresses
  const DocNode* root_ = nullptr;
};

}  // namespace proclab
