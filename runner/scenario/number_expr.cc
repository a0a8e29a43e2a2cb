#include "runner/scenario/number_expr.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace proclab {

class NumberExprParser {
 public:
  NumberExprParser(std::string_view text, const NumberExpr::Syntax& syntax, NumberExpr* out)
      : s_(text), syntax_(syntax), out_(out) {}

  bool Run(NumberExpr::ParseError* error) {
    Space();
    if (i_ == s_.size()) return Fail(error, "is empty: write a number, e.g. 2 or 0.8 * cpus");
    if (!Expr(error)) return false;
    Space();
    if (i_ < s_.size())
      return Fail(
          error, fmt::format("unexpected '{}': expected an operator (+ - * /) or the end", s_[i_]));
    return true;
  }

 private:
  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool Fail(NumberExpr::ParseError* error, std::string message) {
    if (error) *error = {std::move(message), std::min(i_, s_.size())};
    return false;
  }
  void Emit(char kind, double value = 0, std::string name = {}, std::string series = {}) {
    out_->code_.push_back({kind, value, std::move(name), std::move(series)});
  }
  [[nodiscard]] bool IsSeries(const std::string& name) const {
    if (std::find(syntax_.series.begin(), syntax_.series.end(), name) != syntax_.series.end())
      return true;
    return syntax_.any_series &&
           std::find(syntax_.names.begin(), syntax_.names.end(), name) == syntax_.names.end() &&
           !IsFunction(name);
  }
  static bool IsFunction(const std::string& name) {
    return name == "min" || name == "max" || name == "last" || name == "sum" || name == "median" ||
           name == "mean" || name == "count";
  }
  std::string Identifier() {
    const size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
      ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  bool Peek(char c) {
    Space();
    return i_ < s_.size() && s_[i_] == c;
  }
  // After `fn(`: `min(x)` of one measured name is a statistic, `min(a, b,
  // …)` the smallest of two or more numbers; the others take one name.
  bool Call(const std::string& fn, size_t fn_at, NumberExpr::ParseError* error) {
    const bool takes_numbers = fn == "min" || fn == "max";
    Space();
    const size_t arg_at = i_;
    const std::string arg = Identifier();
    if (!arg.empty() && IsSeries(arg) && Peek(')')) {
      ++i_;
      Emit('v', 0, fmt::format("{}({})", fn, arg), arg);
      return true;
    }
    if (!takes_numbers) {
      i_ = arg_at;
      if (syntax_.series.empty() && !syntax_.any_series)
        return Fail(error,
                    fmt::format("{}() takes a measured name, and none is declared here", fn));
      return Fail(error, fmt::format("{}() takes one measured name ({})", fn, Known(true)));
    }
    i_ = arg_at;
    int args = 0;
    for (;;) {
      if (!Expr(error)) return false;
      if (++args > 1) Emit(fn == "min" ? 'm' : 'M');
      if (Peek(',')) {
        ++i_;
        continue;
      }
      if (Peek(')')) break;
      return Fail(error,
                  i_ == s_.size()
                      ? fmt::format("the '(' at column {} is not closed", fn_at + fn.size() + 1)
                      : fmt::format("unexpected '{}': expected ',' or ')'", s_[i_]));
    }
    if (args < 2) {
      i_ = arg_at;
      return Fail(error,
                  fmt::format("{}(a, b) takes two or more numbers, or one measured name", fn));
    }
    ++i_;
    return true;
  }
  [[nodiscard]] std::string Known(bool series_only) const {
    std::string known;
    if (!series_only)
      for (const auto& n : syntax_.names) known += (known.empty() ? "" : ", ") + n;
    for (const auto& n : syntax_.series) known += (known.empty() ? "" : ", ") + n;
    return known;
  }
  bool Expr(NumberExpr::ParseError* error) {
    if (!Term(error)) return false;
    for (;;) {
      Space();
      if (i_ == s_.size() || (s_[i_] != '+' && s_[i_] != '-')) return true;
      const char op = s_[i_++];
      if (!Term(error)) return false;
      Emit(op);
    }
  }
  bool Term(NumberExpr::ParseError* error) {
    if (!Factor(error)) return false;
    for (;;) {
      Space();
      if (i_ == s_.size() || (s_[i_] != '*' && s_[i_] != '/')) return true;
      const char op = s_[i_++];
      if (!Factor(error)) return false;
      Emit(op);
    }
  }
  bool Factor(NumberExpr::ParseError* error) {
    if (++depth_ > 64) return Fail(error, "is nested too deeply");
    Space();
    bool ok = false;
    if (i_ == s_.size()) {
      ok = Fail(error, "ends too early: expected a number, a name or '('");
    } else if (s_[i_] == '-' || s_[i_] == '+') {
      const bool negate = s_[i_++] == '-';
      ok = Factor(error);
      if (ok && negate) Emit('~');
    } else if (s_[i_] == '(') {
      const size_t open = i_++;
      ok = Expr(error);
      Space();
      if (ok && (i_ == s_.size() || s_[i_] != ')')) {
        ok = Fail(error, fmt::format("the '(' at column {} is not closed", open + 1));
      } else if (ok) {
        ++i_;
      }
    } else if (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.') {
      ok = Number(error);
    } else if (std::isalpha(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_') {
      ok = Name(error);
    } else {
      ok = Fail(error, fmt::format("unexpected '{}': expected a number, a name or '('", s_[i_]));
    }
    --depth_;
    return ok;
  }
  bool Number(NumberExpr::ParseError* error) {
    const size_t start = i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.'))
      ++i_;
    const std::string digits(s_.substr(start, i_ - start));
    char* end = nullptr;
    double v = std::strtod(digits.c_str(), &end);
    if (digits == "." || end != digits.c_str() + digits.size()) {
      i_ = start;
      return Fail(error, fmt::format("'{}' is not a number", digits));
    }
    const size_t unit_at = i_;
    while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_]))) ++i_;
    const std::string unit(s_.substr(unit_at, i_ - unit_at));
    if (!unit.empty()) {
      static const std::vector<std::pair<std::string, double>> kUnits = {
          {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"min", 60}, {"h", 3600}};
      auto it = std::find_if(kUnits.begin(), kUnits.end(),
                             [&](const auto& u) { return u.first == unit; });
      if (!syntax_.durations || it == kUnits.end()) {
        i_ = unit_at;
        return Fail(error, syntax_.durations
                               ? fmt::format("'{}' is not a unit of time (us, ms, s, m, h)", unit)
                               : fmt::format("'{}{}': a unit does not go here (write {})", digits,
                                             unit, digits));
      }
      v *= it->second;
      out_->has_unit_ = true;
    }
    Emit('n', v);
    return true;
  }
  bool Name(NumberExpr::ParseError* error) {
    const size_t start = i_;
    std::string name = Identifier();
    const bool allowed_call =
        !syntax_.series.empty() || syntax_.any_series || name == "min" || name == "max";
    if (IsFunction(name) && allowed_call && Peek('(')) {
      ++i_;
      return Call(name, start, error);
    }
    if (IsSeries(name)) {
      Emit('v', 0, name, name);
      return true;
    }
    if (std::find(syntax_.names.begin(), syntax_.names.end(), name) == syntax_.names.end()) {
      i_ = start;
      const std::string known = Known(false);
      if (IsFunction(name) && allowed_call)
        return Fail(error, fmt::format("'{}' is a function: write {}(…)", name, name));
      return Fail(error,
                  known.empty() ? fmt::format("'{}' is not a number", name)
                  : !syntax_.series.empty()
                      ? fmt::format("'{}' is not a number, cpus, or a name declared by "
                                    "measure: ({})",
                                    name, Known(true))
                      : fmt::format("'{}' is not a number or a known name ({})", name, known));
    }
    Emit('v', 0, std::move(name));
    return true;
  }

  std::string_view s_;
  const NumberExpr::Syntax& syntax_;
  NumberExpr* out_;
  size_t i_ = 0;
  int depth_ = 0;
};

std::optional<NumberExpr> NumberExpr::Parse(std::string_view text, const Syntax& syntax,
                                            ParseError* error) {
  NumberExpr e;
  e.text_ = std::string(text);
  NumberExprParser p(text, syntax, &e);
  if (!p.Run(error)) return std::nullopt;
  return e;
}

NumberExpr NumberExpr::Constant(double value) {
  NumberExpr e;
  e.code_.push_back({'n', value, {}, {}});
  e.text_ = fmt::format("{}", value);
  return e;
}

NumberExpr NumberExpr::Constant(double value, std::string text) {
  NumberExpr e = Constant(value);
  e.text_ = std::move(text);
  return e;
}

double NumberExpr::Eval(const std::function<double(const std::string&)>& lookup) const {
  std::vector<double> stack;
  for (const auto& op : code_) {
    if (op.kind == 'n') {
      stack.push_back(op.value);
    } else if (op.kind == 'v') {
      stack.push_back(lookup ? lookup(op.name) : 0);
    } else if (op.kind == '~') {
      stack.back() = -stack.back();
    } else {
      const double b = stack.back();
      stack.pop_back();
      double& a = stack.back();
      switch (op.kind) {
        case '+': a += b; break;
        case '-': a -= b; break;
        case '*': a *= b; break;
        case 'm': a = std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b); break;
        case 'M': a = std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b); break;
        default: a = b == 0 ? NAN : a / b; break;
      }
    }
  }
  return stack.empty() ? 0 : stack.back();
}

bool NumberExpr::uses(const std::string& name) const {
  return std::any_of(code_.begin(), code_.end(),
                     [&](const Op& op) { return op.kind == 'v' && op.name == name; });
}

std::vector<std::string> NumberExpr::series() const {
  std::vector<std::string> out;
  for (const auto& op : code_)
    if (op.kind == 'v' && !op.series.empty() &&
        std::find(out.begin(), out.end(), op.series) == out.end())
      out.push_back(op.series);
  return out;
}

std::vector<std::string> NumberExpr::lookups() const {
  std::vector<std::string> out;
  for (const auto& op : code_)
    if (op.kind == 'v' && std::find(out.begin(), out.end(), op.name) == out.end())
      out.push_back(op.name);
  return out;
}

std::string NumberExpr::Describe(const std::function<double(const std::string&)>& lookup,
                                 const std::function<std::string(double)>& format) const {
  const bool plain = std::none_of(code_.begin(), code_.end(),
                                  [](const Op& op) { return op.kind != 'n' && op.kind != '~'; });
  if (plain) return format(Eval(lookup));
  return fmt::format("{} ({})", text_, format(Eval(lookup)));
}

}  // namespace proclab
