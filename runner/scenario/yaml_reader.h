// Typed reading of YAML nodes with exact errors. A parse failure throws
// LoadError (exceptions are for parsers only); LoadYamlScenarios turns it into
// an Error value at the API boundary.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "runner/base/error.h"

namespace proclab::yaml {

struct LoadError : std::runtime_error {
  explicit LoadError(Error e) : std::runtime_error(e.message), error(std::move(e)) {}
  Error error;
};

class Reader {
 public:
  // `source`: the file's text, to turn yaml-cpp's byte columns into
  // character columns (empty: columns stay as they are).
  explicit Reader(std::string file, std::string source = {})
      : file_(std::move(file)), source_(std::move(source)) {}
  const std::string& file() const { return file_; }

  SourceLoc Where(const YAML::Node& node) const;
  [[noreturn]] void Fail(const YAML::Node& node, const std::string& message) const;

  std::string String(const YAML::Node& node, const std::string& what) const;
  int64_t Int(const YAML::Node& node, const std::string& what) const;
  double Number(const YAML::Node& node, const std::string& what) const;
  bool Bool(const YAML::Node& node, const std::string& what) const;
  int64_t Duration(const YAML::Node& node, const std::string& what) const;  // microseconds
  int64_t Size(const YAML::Node& node, const std::string& what) const;      // bytes
  int Signal(const YAML::Node& node, const std::string& what) const;
  std::vector<std::string> StringList(const YAML::Node& node, const std::string& what) const;
  // A regex, compiled to check it; returned as text.
  std::string Pattern(const YAML::Node& node, const std::string& what) const;
  // A word from a fixed set ("running", "sleeping", …), with a suggestion when not.
  std::string OneOf(const YAML::Node& node, const std::string& what,
                    const std::vector<std::string>& choices) const;
  // A whole number in [lo, hi], or an error saying so.
  int64_t IntIn(const YAML::Node& node, const std::string& what, int64_t lo, int64_t hi) const;

  // Bounds what a file can make the loader do (aliases can nest and repeat).
  void Enter(const YAML::Node& node) const;
  void Leave() const { --depth_; }

 private:
  std::string file_;
  std::string source_;
  mutable int depth_ = 0;
  mutable int64_t nodes_ = 0;
};

// Enter/Leave as a scope.
class Nesting {
 public:
  Nesting(const Reader& r, const YAML::Node& node) : r_(r) { r.Enter(node); }
  ~Nesting() { r_.Leave(); }

 private:
  const Reader& r_;
};

// "'SIGUSR3' is not a signal (write SIGUSR1, USR1 or 10); did you mean …"
std::string NotASignal(const std::string& text);

// A mapping whose keys are declared as they are read; Done() rejects every key
// nobody asked for, suggesting the closest known one.
class Map {
 public:
  Map(const Reader& r, const YAML::Node& node, std::string what);
  std::optional<YAML::Node> Get(const std::string& key);
  YAML::Node Require(const std::string& key);
  bool Has(const std::string& key) const { return node_[key].IsDefined(); }
  // Declares keys that are valid but read elsewhere.
  void Allow(const std::vector<std::string>& keys);
  void Done();
  const YAML::Node& node() const { return node_; }

 private:
  const Reader& r_;
  YAML::Node node_;
  std::string what_;
  std::vector<std::string> known_;
};

// `- fork: child` and `- pause` alike: the single key of a one-entry mapping,
// or the scalar itself, and its value (null for a bare word).
struct Tagged {
  std::string tag;
  YAML::Node tag_node;
  YAML::Node value;
};
Tagged ReadTagged(const Reader& r, const YAML::Node& node, const std::string& what,
                  const std::vector<std::string>& tags);

}  // namespace proclab::yaml
