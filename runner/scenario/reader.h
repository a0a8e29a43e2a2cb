// Typed reading of a scenario document (doc.h) with exact errors. A mistake
// throws LoadError (exceptions are for parsers only); the front-ends turn it
// into an Error value at their API boundary.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runner/base/error.h"
#include "runner/scenario/doc.h"

namespace proclab::doc {

struct LoadError : std::runtime_error {
  explicit LoadError(Error e) : std::runtime_error(e.message), error(std::move(e)) {}
  Error error;
};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  SourceLoc Where(const DocNode& node) const;
  [[noreturn]] void Fail(const DocNode& node, const std::string& message) const;

  std::string String(const DocNode& node, const std::string& what) const;
  int64_t Int(const DocNode& node, const std::string& what) const;
  double Number(const DocNode& node, const std::string& what) const;
  bool Bool(const DocNode& node, const std::string& what) const;
  int64_t Duration(const DocNode& node, const std::string& what) const;  // microseconds
  int64_t Size(const DocNode& node, const std::string& what) const;      // bytes
  int Signal(const DocNode& node, const std::string& what) const;
  std::vector<std::string> StringList(const DocNode& node, const std::string& what) const;
  // A regex, compiled to check it; returned as text.
  std::string Pattern(const DocNode& node, const std::string& what) const;
  // A word from a fixed set ("running", "sleeping", …), with a suggestion when not.
  std::string OneOf(const DocNode& node, const std::string& what,
                    const std::vector<std::string>& choices) const;
  // A whole number in [lo, hi], or an error saying so.
  int64_t IntIn(const DocNode& node, const std::string& what, int64_t lo, int64_t hi) const;

  // Bounds what a file can make the reader do: aliases can nest, repeat and
  // even include themselves.
  void Enter(const DocNode& node) const;
  void Leave() const { --depth_; }

 private:
  std::string file_;
  mutable int depth_ = 0;
  mutable int64_t nodes_ = 0;
};

// Enter/Leave as a scope.
class Nesting {
 public:
  Nesting(const Reader& r, const DocNode& node) : r_(r) { r.Enter(node); }
  ~Nesting() { r_.Leave(); }
  Nesting(const Nesting&) = delete;
  Nesting& operator=(const Nesting&) = delete;

 private:
  const Reader& r_;
};

// "'SIGUSR3' is not a signal (write SIGUSR1, USR1 or 10); did you mean …"
std::string NotASignal(const std::string& text);

// A mapping whose keys are declared as they are read; Done() rejects every key
// nobody asked for, suggesting the closest known one.
class Map {
 public:
  Map(const Reader& r, const DocNode& node, std::string what);
  // The value, or nullptr when the key is absent.
  const DocNode* Get(const std::string& key);
  const DocNode& Require(const std::string& key);
  [[nodiscard]] bool Has(const std::string& key) const { return (*node_)[key].IsDefined(); }
  // Declares keys that are valid but read elsewhere.
  void Allow(const std::vector<std::string>& keys);
  void Done();
  [[nodiscard]] const DocNode& node() const { return *node_; }

 private:
  const Reader& r_;
  const DocNode* node_;
  std::string what_;
  std::vector<std::string> known_;
};

// `- fork: child` and `- pause` alike: the single key of a one-entry mapping,
// or the scalar itself, and its value (Undefined for a bare word).
struct Tagged {
  std::string tag;
  const DocNode* tag_node = &DocNode::Undefined();
  const DocNode* value = &DocNode::Undefined();
};
Tagged ReadTagged(const Reader& r, const DocNode& node, const std::string& what,
                  const std::vector<std::string>& tags);

}  // namespace proclab::doc
