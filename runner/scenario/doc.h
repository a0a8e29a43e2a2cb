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
  [[nodiscard]] std::string_view Scalar() const {
    return IsScalar() ? std::string_view(text_, size_) : std::string_view();
  }
  [[nodiscard]] int function_ref() const { return IsFunction() ? function_ref_ : -1; }
  [[nodiscard]] std::span<const DocNode* const> items() const {  // a list's
    return IsMap() ? std::span<const DocNode* const>() : kids();
  }
  [[nodiscard]] Entries entries() const {  // a map's
    return Entries(IsMap() ? kids() : std::span<const DocNode* const>());
  }
  [[nodiscard]] size_t size() const { return kids().size() / (IsMap() ? 2 : 1); }
  // A map's value for `key` (the first, if written twice), or Undefined().
  const DocNode& operator[](std::string_view key) const;

  // Where it was written: 1-based line and character column; 0 when the
  // syntax has no lines (a Lua table).
  [[nodiscard]] int line() const { return line_; }
  [[nodiscard]] int column() const { return column_; }
  // For syntaxes without lines: the path inside the document, as its author
  // would name it ("expect[2].exit").
  [[nodiscard]] std::string_view place() const { return place_ ? *place_ : std::string_view(); }

  void SetPosition(int line, int column) {
    line_ = line;
    column_ = column;
  }

 private:
  friend class Document;
  [[nodiscard]] std::span<const DocNode* const> kids() const {
    return IsList() || IsMap() ? std::span<const DocNode* const>(kids_, size_)
                               : std::span<const DocNode* const>();
  }
  // Small on purpose (32 bytes): a scenario file of 10 MB is some 1.4
  // million nodes. Text, children and places live in the Document's arena.
  // What a node holds depends on its kind, so the unions' members are read
  // only for the kind that wrote them: a scalar's text, a container's
  // children (a list's items, or a map's keys and values in turn), a
  // function's reference.
  Kind kind_ = Kind::kUndefined;
  union {
    uint32_t size_ = 0;  // of text_ or kids_
    int function_ref_;
  };
  int line_ = 0;
  int column_ = 0;
  union {
    const char* text_ = nullptr;
    const DocNode* const* kids_;
  };
  const std::string_view* place_ = nullptr;
};

class Document {
 public:
  Document() : arena_(std::make_unique<std::pmr::monotonic_buffer_resource>()) {}
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;
  Document(Document&&) = default;
  Document& operator=(Document&&) = default;

  DocNode* Null() { return Make(DocNode::Kind::kNull); }
  DocNode* Scalar(std::string_view text);
  DocNode* List() { return Make(DocNode::Kind::kList); }
  DocNode* Map() { return Make(DocNode::Kind::kMap); }
  DocNode* Function(int ref);
  void SetPlace(DocNode* node, std::string_view place);
  // A list's items, or a map's keys and values in turn (key, value, key…),
  // set once the container is complete: the front ends gather them first, so
  // that no node carries a growable vector of its own.
  void SetKids(DocNode* node, std::span<const DocNode* const> kids);

  [[nodiscard]] const DocNode* root() const { return root_; }
  void SetRoot(const DocNode* root) { root_ = root; }
  [[nodiscard]] size_t nodes() const { return nodes_; }

 private:
  DocNode* Make(DocNode::Kind kind);
  std::string_view Keep(std::string_view text);
  // Nodes, text, children and places, end to end; freed all at once. Nodes
  // are never moved, so pointers between them stay valid.
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena_;
  size_t nodes_ = 0;
  const DocNode* root_ = nullptr;
};

}  // namespace proclab
