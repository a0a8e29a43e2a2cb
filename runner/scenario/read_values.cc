// `measure:` (top level) and the expectations on what it measures: `value`,
// `compare`, `sections` (docs/design.md §3.10.3).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "runner/base/regex.h"
#include "runner/scenario/read_parts.h"

namespace proclab::doc {
namespace {

bool IsIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// The pattern as PCRE2 will see it once placeholders are numbers.
std::string WithoutPlaceholders(std::string s) {
  for (const char* tag : {"{pid:", "{ppid:"}) {
    size_t at;
    while ((at = s.find(tag)) != std::string::npos) {
      const size_t end = s.find('}', at);
      if (end == std::string::npos) break;
      s = s.substr(0, at) + '1' + s.substr(end + 1);
    }
  }
  return s;
}

Measure ReadMeasure(const Reader& r, const DocNode& node) {
  Map m(r, node, "measure");
  Measure out;
  out.loc = r.Where(node);
  const DocNode& name = m.Require("name");
  out.name = r.String(name, "measure.name");
  if (!IsIdentifier(out.name))
    r.Fail(name, fmt::format("measure.name '{}' is one word of letters, digits and '_' (it is "
                             "used in compare: expressions), e.g. serial_cpu",
                             out.name));
  const auto& stats = ValueStats();
  if (out.name == "cpus" || std::find(stats.begin(), stats.end(), out.name) != stats.end())
    r.Fail(name, fmt::format("measure.name '{}' is a word of the expression syntax; choose "
                             "another name",
                             out.name));
  if (auto p = m.Get("match")) {
    out.pattern = r.Pattern(*p, "measure.match");
    auto re = Regex::Compile(WithoutPlaceholders(out.pattern));
    if (re && !re->HasGroup("value"))
      r.Fail(*p, fmt::format("measure.match '{}' has no group named 'value': write the number's "
                             "part as (?<value>…), e.g. \"cpu (?<value>[0-9.]+)\"",
                             out.pattern));
  }
  if (auto b = m.Get("by")) {
    out.by = r.String(*b, "measure.by");
    out.by_loc = r.Where(*b);
    if (out.pattern.empty()) r.Fail(*b, "measure.by goes with match: (which output lines to read)");
  }
  m.Done();
  return out;
}

// Arithmetic on `cpus` and, where `names` allows, measured names: `text`,
// which starts `offset` characters into the value of `v`. A mistake points
// at its column within the value.
NumberExpr ParseNumber(const Reader& r, const DocNode& v, const std::string& what,
                       const std::string& text, size_t offset, const MeasuredNames* names) {
  NumberExpr::Syntax syntax(false, {"cpus"});
  if (names) {
    syntax.series = names->names;
    syntax.any_series = names->any;
  }
  NumberExpr::ParseError err;
  auto e = NumberExpr::Parse(text, syntax, &err);
  if (!e) {
    SourceLoc at = r.Where(v);
    if (at.column > 0) at.column += static_cast<int>(offset + err.at);
    throw LoadError(Error(fmt::format("{} '{}': {}", what, text, err.message), at));
  }
  return std::move(*e);
}

NumberExpr ReadNumber(const Reader& r, const DocNode& v, const std::string& what,
                      const MeasuredNames* names) {
  return ParseNumber(r, v, what, r.String(v, what), 0, names);
}

void RequireSeries(const Reader& r, const DocNode& at, const CompareCheck& c) {
  if (c.left.series().empty() && c.right.series().empty())
    r.Fail(at,
           "compare: neither side names a measured value, so it cannot depend on the "
           "run (write e.g. left: threads_cpu)");
}

std::string KnownNames(const MeasuredNames& names) {
  if (names.names.empty()) return "no measure: declares any";
  std::string out;
  for (const auto& n : names.names) out += (out.empty() ? "" : ", ") + n;
  return "measure: declares " + out;
}

}  // namespace

std::vector<Measure> ReadMeasures(const Reader& r, const DocNode& node) {
  std::vector<Measure> out;
  if (node.IsList()) {
    for (const DocNode* item : node.items()) out.push_back(ReadMeasure(r, *item));
  } else {
    out.push_back(ReadMeasure(r, node));
  }
  return out;
}

void ReadValue(const Reader& r, Map& m, Expectation* e, const MeasuredNames& names) {
  auto check = std::make_shared<ValueCheck>();
  const DocNode& name = m.Require("name");
  e->Remember("name", r.Where(name));
  check->name = r.String(name, "value.name");
  if (!names.any &&
      std::find(names.names.begin(), names.names.end(), check->name) == names.names.end())
    r.Fail(name,
           fmt::format("value.name: '{}' is never measured ({})", check->name, KnownNames(names)));
  if (auto s = m.Get("stat")) {
    e->Remember("stat", r.Where(*s));
    check->stat = r.OneOf(*s, "value.stat", ValueStats());
  }
  for (const char* key : {"min", "max"})
    if (auto x = m.Get(key)) {
      e->Remember(key, r.Where(*x));
      (key[1] == 'i' ? check->min : check->max) =
          ReadNumber(r, *x, std::string("value.") + key, &names);
    }
  if (!check->min && !check->max) r.Fail(m.node(), "value needs min and/or max");
  e->value = std::move(check);
}

void ReadCompare(const Reader& r, Map& m, Expectation* e, const MeasuredNames& names) {
  auto check = std::make_shared<CompareCheck>();
  const DocNode& left = m.Require("left");
  const DocNode& op = m.Require("op");
  const DocNode& right = m.Require("right");
  e->Remember("left", r.Where(left));
  e->Remember("op", r.Where(op));
  e->Remember("right", r.Where(right));
  check->left = ReadNumber(r, left, "compare.left", &names);
  check->op = r.OneOf(op, "compare.op", {"<", "<=", ">", ">=", "=="});
  check->right = ReadNumber(r, right, "compare.right", &names);
  RequireSeries(r, m.node(), *check);
  e->compare = std::move(check);
}

// `compare: "threads_cpu > 0.9 * serial_cpu"`: the first comparison
// operator splits the text into its sides.
void ReadCompareText(const Reader& r, const DocNode& v, Expectation* e,
                     const MeasuredNames& names) {
  const std::string text = r.String(v, "compare");
  e->Remember("left", r.Where(v));
  const size_t at = text.find_first_of("<>=");
  if (at == std::string::npos)
    r.Fail(v, fmt::format("compare '{}' has no comparison: write LEFT OP RIGHT with OP one of "
                          "<, <=, >, >=, ==, e.g. \"threads_cpu > 0.9 * serial_cpu\"",
                          text));
  const bool two = at + 1 < text.size() && text[at + 1] == '=';
  const std::string op = text.substr(at, two ? 2 : 1);
  if (op == "=") {
    SourceLoc where = r.Where(v);
    if (where.column > 0) where.column += static_cast<int>(at);
    throw LoadError(
        Error(fmt::format("compare '{}': '=' is not a comparison; write ==", text), where));
  }
  auto check = std::make_shared<CompareCheck>();
  check->op = op;
  // A side without its surrounding spaces, and where it starts.
  auto side = [&](size_t from, size_t to, const char* what) {
    while (from < to && (text[from] == ' ' || text[from] == '\t')) ++from;
    while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\t')) --to;
    return ParseNumber(r, v, what, text.substr(from, to - from), from, &names);
  };
  check->left = side(0, at, "compare: the left side");
  check->right = side(at + op.size(), text.size(), "compare: the right side");
  RequireSeries(r, v, *check);
  e->compare = std::move(check);
}

void ReadSections(const Reader& r, Map& m, Expectation* e) {
  auto check = std::make_shared<SectionsCheck>();
  for (const char* key : {"enter", "leave"}) {
    const DocNode& p = m.Require(key);
    e->Remember(key, r.Where(p));
    (key[0] == 'e' ? check->enter : check->leave) = r.Pattern(p, std::string("sections.") + key);
  }
  if (auto b = m.Get("by")) {
    e->Remember("by", r.Where(*b));
    check->by = r.String(*b, "sections.by");
  }
  if (auto x = m.Get("max_inside"))
    check->max_inside = static_cast<int>(r.IntIn(*x, "sections.max_inside", 1, 1'000'000));
  e->sections = std::move(check);
}

}  // namespace proclab::doc
