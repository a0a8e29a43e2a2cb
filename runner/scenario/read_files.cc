// `- files: {path: out.txt, match: done}` and `- files: {outside: none}`.
#include <fmt/format.h>

#include <algorithm>

#include "runner/base/diagnostic.h"
#include "runner/scenario/file_path.h"
#include "runner/scenario/read_parts.h"

namespace proclab::doc {
namespace {

// The node of `key` itself, to point at it (a Lua table's keys have no
// place of their own: their table has).
const DocNode& KeyNode(const DocNode& map, const std::string& key) {
  for (const auto& [k, value] : map.entries())
    if (k->IsScalar() && k->Scalar() == key && k->line() != 0) return *k;
  return map;
}

IntRange ReadSizeRange(const Reader& r, const DocNode& v) {
  if (v.IsScalar()) return IntRange::Exactly(r.Size(v, "files.size"));
  Map m(r, v, "files.size");
  IntRange range;
  if (auto x = m.Get("min")) range.min = r.Size(*x, "files.size.min");
  if (auto x = m.Get("max")) range.max = r.Size(*x, "files.size.max");
  m.Done();
  if (range.empty()) r.Fail(v, "files.size needs a size, or min and/or max (1, 10KiB, 2MiB)");
  if (range.min && range.max && *range.min > *range.max)
    r.Fail(v, "files.size: min is more than max");
  return range;
}

}  // namespace

void ReadFiles(const Reader& r, Map& m, Expectation* e) {
  const DocNode& v = m.node();
  static const std::vector<std::string> kAboutPath = {"path", "absent", "count",  "match",
                                                      "size", "kind",   "written"};
  if (const DocNode* o = m.Get("outside")) {
    r.OneOf(*o, "files.outside", {"none"});
    Expectation::FileCheck f;
    f.outside = true;
    e->file = std::make_shared<const Expectation::FileCheck>(std::move(f));
    e->Remember("outside", r.Where(*o));
    for (const std::string& key : kAboutPath)
      if (m.Has(key))
        r.Fail(KeyNode(v, key),
               fmt::format("'{}' is about a file in the run's folder, 'outside: none' about what "
                           "the run left elsewhere; write them as two '- files:' expectations",
                           key));
    return;
  }
  if (!m.Has("path")) {
    for (const auto& [k, value] : v.entries()) {
      const bool known =
          std::find(kAboutPath.begin(), kAboutPath.end(), k->Scalar()) != kAboutPath.end() ||
          k->Scalar() == "points";
      if (!known && ClosestMatch(k->Scalar(), {"path", "outside"}) == "path")
        m.Require("path");  // reports the misspelt key
    }
    r.Fail(v,
           "files needs 'path: FILE' (relative to the run's folder), or 'outside: none' (nothing "
           "left in /tmp and the other shared folders)");
  }
  const DocNode& p = m.Require("path");
  auto path = NormalizeFilePath(r.String(p, "files.path"));
  if (!path) r.Fail(p, "files.path: " + path.error().message);
  Expectation::FileCheck f;
  f.path = *path;
  e->Remember("path", r.Where(p));
  if (auto a = m.Get("absent")) f.absent = r.Bool(*a, "files.absent");
  if (auto c = m.Get("count")) {
    e->count = ReadRange(r, *c, "files.count");
    if ((e->count.min && *e->count.min < 0) || (e->count.max && *e->count.max < 0))
      r.Fail(*c, "files.count cannot be negative");
  }
  if (auto x = m.Get("match")) {
    e->pattern = r.Pattern(*x, "files.match");
    e->Remember("match", r.Where(*x));
  }
  if (auto x = m.Get("size")) f.size = ReadSizeRange(r, *x);
  if (auto x = m.Get("kind")) {
    const std::string kind = r.String(*x, "files.kind");
    if (kind == "directory" || kind == "dir")
      r.Fail(*x, fmt::format("files.kind: proclab calls a {} a 'folder'", kind));
    f.file_kind =
        r.OneOf(*x, "files.kind", {"file", "folder", "symlink", "fifo", "socket", "device"});
  }
  if (auto x = m.Get("written")) f.written = r.Bool(*x, "files.written");
  if (f.absent)
    for (const std::string& key : kAboutPath)
      if (key != "path" && key != "absent" && m.Has(key))
        r.Fail(KeyNode(v, key),
               fmt::format("files.absent: nothing may match '{}', so '{}' has nothing to "
                           "describe; drop one of them",
                           f.path, key));
  const bool lines_or_bytes = !e->pattern.empty() || !f.size.empty();
  if (lines_or_bytes && !f.file_kind.empty() && f.file_kind != "file")
    r.Fail(KeyNode(v, "kind"),
           fmt::format("match and size look into files; a {} has neither lines nor a size "
                       "of its own (use kind: file, or drop kind)",
                       f.file_kind));
  e->file = std::make_shared<const Expectation::FileCheck>(std::move(f));
}

}  // namespace proclab::doc
