#include "runner/timeline/file_facts.h"

namespace proclab {

using nlohmann::json;

namespace {

json EntryToJson(const FileEntry& e) {
  json j = {{"path", e.path}, {"kind", e.kind}, {"written", e.written}};
  if (e.kind == "file") j["size"] = e.size;
  if (e.text) j["text"] = *e.text;
  if (e.text_cut) j["text_cut"] = true;
  if (!e.unread.empty()) j["unread"] = e.unread;
  return j;
}

FileEntry EntryFromJson(const json& j) {
  FileEntry e;
  e.path = j.value("path", "");
  e.kind = j.value("kind", "");
  e.size = j.value("size", int64_t{0});
  e.written = j.value("written", false);
  if (j.contains("text")) e.text = j["text"].get<std::string>();
  e.text_cut = j.value("text_cut", false);
  e.unread = j.value("unread", "");
  return e;
}

}  // namespace

json FileFactsToJson(const FileFacts& f) {
  json entries = json::array();
  for (const auto& e : f.entries) entries.push_back(EntryToJson(e));
  json j = {{"pattern", f.pattern}, {"matched", f.matched}, {"entries", entries}};
  if (f.capped) j["capped"] = true;
  if (!f.gone.empty()) j["gone"] = f.gone;
  if (f.matched == 0) {
    j["folder"] = f.folder;
    if (!f.missing.empty()) j["missing"] = f.missing;
    j["listing"] = f.listing;
    j["listing_total"] = f.listing_total;
  }
  return j;
}

FileFacts FileFactsFromJson(const json& j) {
  FileFacts f;
  f.pattern = j.value("pattern", "");
  f.matched = j.value("matched", int64_t{0});
  f.capped = j.value("capped", false);
  for (const auto& e : j.value("entries", json::array())) f.entries.push_back(EntryFromJson(e));
  f.gone = j.value("gone", std::vector<std::string>{});
  f.folder = j.value("folder", "");
  f.missing = j.value("missing", "");
  f.listing = j.value("listing", std::vector<std::string>{});
  f.listing_total = j.value("listing_total", int64_t{0});
  return f;
}

json LeftOutsideToJson(const LeftOutside& l) {
  json entries = json::array();
  for (const auto& e : l.entries) {
    json x = {{"path", e.path}, {"kind", e.kind}, {"removed", e.removed}};
    if (e.kind == "file") x["size"] = e.size;
    if (e.kind == "folder") x["entries"] = e.entries;
    if (!e.error.empty()) x["error"] = e.error;
    entries.push_back(std::move(x));
  }
  json j = {{"watched", l.watched}, {"entries", entries}, {"total", l.total}};
  if (!l.note.empty()) j["note"] = l.note;
  return j;
}

LeftOutside LeftOutsideFromJson(const json& j) {
  LeftOutside l;
  l.watched = j.value("watched", std::vector<std::string>{});
  for (const auto& x : j.value("entries", json::array())) {
    LeftEntry e;
    e.path = x.value("path", "");
    e.kind = x.value("kind", "");
    e.size = x.value("size", int64_t{0});
    e.entries = x.value("entries", int64_t{0});
    e.removed = x.value("removed", false);
    e.error = x.value("error", "");
    l.entries.push_back(std::move(e));
  }
  l.total = j.value("total", static_cast<int64_t>(l.entries.size()));
  l.note = j.value("note", "");
  return l;
}

}  // namespace proclab
