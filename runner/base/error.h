// Expected failures are values: Error carries a message and, where the failure
// comes from a file the user wrote, its location. Bugs abort; they are not Errors.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace proclab {

struct SourceLoc {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown

  [[nodiscard]] bool Known() const { return !file.empty(); }
};

struct Error {
  std::string message;
  SourceLoc loc;

  Error() = default;
  explicit Error(std::string msg) : message(std::move(msg)) {}
  Error(std::string msg, SourceLoc where) : message(std::move(msg)), loc(std::move(where)) {}

  // "file:line:column: message", or just the message when there is no file.
  [[nodiscard]] std::string Describe() const;
};

// A value or an Error. Deliberately tiny: C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error err) : v_(std::move(err)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return Check(), std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { return Check(), std::get<0>(v_); }
  T&& value() && { return Check(), std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  [[nodiscard]] const Error& error() const {
    if (ok()) std::abort();  // a bug: asked for the error of a success
    return std::get<1>(v_);
  }

 private:
  void Check() const {
    if (!ok()) std::abort();  // a bug: used the value of a failure
  }
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error err) : err_(std::move(err)), failed_(true) {}  // NOLINT: implicit by design
  static Status Ok() { return {}; }

  [[nodiscard]] bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const {
    if (!failed_) std::abort();
    return err_;
  }

 private:
  Error err_;
  bool failed_ = false;
};

}  // namespace proclab
