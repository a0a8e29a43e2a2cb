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
#include <memory>
#include <memory_resource>
#include <span>
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

  // A map's entries, read from its children (key, value, key, value…).
  class Entries {
   public:
    class Iterator {
     public:
      explicit Iterator(const DocNode* const* at) : at_(at) {}
      Entry operator*() const { return {at_[0], at_[1]}; }
      Iterator& operator++() {
        at_ += 2;
        return *this;
      }
      bool operator==(const Iterator&) const = default;

     private:
      const DocNode* const* at_;
    };
    explicit Entries(std::span<const DocNode* const> kids) : kids_(kids) {}
    [[nodiscard]] Iterator begin() const { return Iterator(kids_.data()); }
    [[nodiscard]] Iterator end() const { return Iterator(kids_.data() + kids_.size()); }
    [[nodiscard]] size_t size() const { return kids_.size() / 2; }
    [[nodiscard]] bool empty() const { return kids_.empty(); }
    [[nodiscard]] Entry front() const { return *begin(); }

   private:
    std::span<const DocNode* const> kids_;
  };

  // The node every missing key reads as.
  static const DocNode& Undefined();

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] bool IsDefined() const { return kind_ != Kind::kUndefined; }
  [[nodiscard]] bool IsNull() const { return kind_ == Kind::kNull; }
  [[nodiscard]] bool IsScalar() const { return kind_ == Kind::kScalar; }
  [[nodiscard]] bool IsList() const { return kind_ == Kind::kList; }
  [[nodiscard]] bool IsMap() const { return kind_ == Kind::kMap; }
  [[nodiscard]] bool IsFunction() const { return kind_ == Kind::kFunction; }

  // The text, kept by the Document: valid while the Document lives.
  [[nodiscard]] std::string_view Scalar() const { return text_; }
  [[nodiscard]] int function_ref() const { return function_ref_; }
  [[nodiscard]] std::span<const DocNode* const> items() const {  // a list's
    return IsMap() ? std::span<const DocNode* const>() : std::span<const DocNode* const>(kids_);
  }
  [[nodiscard]] Entries entries() const {  // a map's
    return Entries(IsMap() ? std::span<const DocNode* const>(kids_)
                           : std::span<const DocNode* const>());
  }
  [[nodiscard]] size_t size() const { return IsMap() ? kids_.size() / 2 : kids_.size(); }
  // A map's value for `key` (the first, if written twice), or Undefined().
  const DocNode& operator[](std::string_view key) const;

  // Where it was written: 1-based line and character column; 0 when the
  // syntax has no lines (a Lua table).
  [[nodiscard]] int line() const { return line_; }
  [[nodiscard]] int column() const { return column_; }
  // For syntaxes without lines: the path inside the document, as its author
  // would name it ("expect[2].exit").
  [[nodiscard]] std::string_view place() const { return place_; }

  void Append(const DocNode* item) { kids_.push_back(item); }
  void Insert(const DocNode* key, const DocNode* value) {
    kids_.push_back(key);
    kids_.push_back(value);
  }
  void SetPosition(int line, int column) {
    line_ = line;
    column_ = column;
  }

 private:
  friend class Document;
  // Small on purpose: a scenario file of 10 MB is some 1.4 million nodes.
  Kind kind_ = Kind::kUndefined;
  int line_ = 0;
  int column_ = 0;
  int function_ref_ = -1;
  std::string_view text_;
  std::string_view place_;
  std::vector<const DocNode*> kids_;  // a list's items, or a map's keys and values in turn
};

class Document {
 public:
  Document() : text_(std::make_unique<std::pmr::monotonic_buffer_resource>()) {}
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;
  Document(Document&&) = default;
  Document& operator=(Document&&) = default;

  DocNode* Null() { return Make(DocNode::Kind::kNull); }
  DocNode* Scalar(std::string_view text);
  DocNode* List() { return Make(DocNode::Kind::kList); }
  DocNode* Map() { return Make(DocNode::Kind::kMap); }
  DocNode* Function(int ref);
  void SetPlace(DocNode* node, std::string_view place) { node->place_ = Keep(place); }

  [[nodiscard]] const DocNode* root() const { return root_; }
  void SetRoot(const DocNode* root) { root_ = root; }
  [[nodiscard]] size_t nodes() const { return nodes_.size(); }

 private:
  DocNode* Make(DocNode::Kind kind);
  std::string_view Keep(std::string_view text);
  std::deque<DocNode> nodes_;                                  // stable addresses
  std::unique_ptr<std::pmr::monotonic_buffer_resource> text_;  // every node's text, end to end
  const DocNode* root_ = nullptr;
};

}  // namespace proclab
