// files: what the run left in its folder (exists, absent, count, kind, size,
// lines, written), and what it left outside it. Judged on the facts the lab
// recorded when the run ended (timeline/file_facts.h), never on the disk.
#include <fmt/format.h>

#include "runner/base/diagnostic.h"
#include "runner/base/text.h"
#include "runner/base/units.h"
#include "runner/expect/context.h"
#include "runner/expect/patterns.h"
#include "runner/scenario/file_path.h"
#include "runner/timeline/describe.h"

namespace proclab::expect {
namespace {

constexpr size_t kNamesShown = 8;  // names a message lists before "and N more"

std::string Bytes(int64_t n) {
  const std::string exact = fmt::format("{} byte{}", n, n == 1 ? "" : "s");
  const std::string unit = FormatSize(n);
  return unit.ends_with("B") && !unit.ends_with("iB") ? exact : unit;
}

std::string BytesRange(const IntRange& r) {
  if (r.min && r.max && *r.min == *r.max) return "exactly " + Bytes(*r.min);
  if (r.min && r.max) return fmt::format("between {} and {}", Bytes(*r.min), Bytes(*r.max));
  if (r.min) return "at least " + Bytes(*r.min);
  return "at most " + Bytes(*r.max);
}

std::string Article(const std::string& kind) {
  if (kind == "file") return "a file";
  if (kind == "folder") return "a folder";
  if (kind == "symlink") return "a symbolic link";
  if (kind == "fifo") return "a FIFO";
  if (kind == "socket") return "a socket";
  if (kind == "device") return "a device";
  return "an entry of an unknown kind";
}

std::string List(const std::vector<std::string>& names, int64_t total) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kNamesShown; ++i)
    out += (i ? ", " : "") + EscapeControls(names[i], false);
  const int64_t more = total - static_cast<int64_t>(std::min(names.size(), kNamesShown));
  if (more > 0) out += fmt::format(", and {} more", more);
  return out;
}

// "a file of 12 bytes, written by the run"
std::string What(const FileEntry& f) {
  std::string out = Article(f.kind);
  if (f.kind == "file") out += " of " + Bytes(f.size);
  out += f.written ? ", written by the run" : ", there before the run";
  return out;
}

std::string Name(const std::string& path) { return EscapeControls(path, false); }

// "(the folder had: a.txt, prog)", or why there is no such folder.
std::string Around(const FileFacts& f) {
  const std::string folder = f.folder.empty() ? "the folder" : "the folder " + Name(f.folder);
  std::string out;
  if (!f.missing.empty()) {
    const std::string where = f.folder.empty() ? f.missing : f.folder + "/" + f.missing;
    out = fmt::format(": there is no folder {} (", Name(where));
  } else {
    out = " (";
  }
  if (f.listing_total == 0) return out + folder + " was empty)";
  return out + folder + " had: " + List(f.listing, f.listing_total) + ")";
}

std::string NothingThere(const Expectation& e, const FileFacts& f) {
  const bool glob = HasWildcard(e.Files().path);
  if (!f.gone.empty())
    return glob ? fmt::format("nothing matches '{}' any more: the run removed {}",
                              Name(e.Files().path),
                              List(f.gone, static_cast<int64_t>(f.gone.size())))
                : fmt::format("{} was there before the run, and the run removed it",
                              Name(e.Files().path));
  std::string out = glob ? fmt::format("nothing matched '{}'", Name(e.Files().path))
                         : fmt::format("{} was never created", Name(e.Files().path));
  out += Around(f);
  const std::vector<std::string> parts = FilePathParts(e.Files().path);
  if (!glob && f.missing.empty()) {
    const std::string close = ClosestMatch(parts.back(), f.listing);
    if (!close.empty()) out += fmt::format("; is {} meant to be it?", Name(close));
  }
  return out;
}

std::string Matches(const FileFacts& f) {
  std::vector<std::string> paths;
  for (const auto& x : f.entries) paths.push_back(x.path);
  return List(paths, f.matched);
}

// The lines of a file's text, each with its '\n' as output lines have it;
// a line cut by the read cap is not one.
std::vector<std::string> Lines(const FileEntry& f) {
  std::vector<std::string> lines;
  const std::string& text = *f.text;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      if (!f.text_cut) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl + 1 - start));
    start = nl + 1;
  }
  return lines;
}

std::string Quote(const std::string& line) { return "'" + QuoteOutput(line, 100) + "'"; }

// Empty when the file holds a matching line; otherwise why not. `found`
// receives the matching line's phrase.
std::string LineProblem(const FileEntry& f, const Regex& re, const std::string& pattern,
                        std::string* found) {
  if (f.kind != "file") return fmt::format("{} is {}, not a file", Name(f.path), Article(f.kind));
  if (!f.text) return fmt::format("{} could not be read: {}", Name(f.path), f.unread);
  const std::vector<std::string> lines = Lines(f);
  for (size_t i = 0; i < lines.size(); ++i)
    if (re.Search(lines[i])) {
      *found = fmt::format("line {} of {} matched: {}", i + 1, Name(f.path), Quote(lines[i]));
      return "";
    }
  std::string it;
  if (lines.empty() && !f.text_cut)
    it = "it is empty";
  else
    it = fmt::format("it has {}{} line{}; the first: {}", f.text_cut ? "more than " : "",
                     lines.size(), lines.size() == 1 && !f.text_cut ? "" : "s",
                     lines.empty() ? "''" : Quote(lines.front()));
  if (f.text_cut) it += fmt::format("; only its first {} were read", Bytes(f.text->size()));
  return fmt::format("no line of {} matched '{}' ({})", Name(f.path), pattern, it);
}

Verdict CheckLeftOutside(const Context& c, const Expectation& e) {
  if (!c.timeline.left_outside)
    return Fail(e, "the lab did not look at what the run left outside its folder");
  const LeftOutside& l = *c.timeline.left_outside;
  std::string watched;
  for (size_t i = 0; i < l.watched.size(); ++i)
    watched += (i == 0 ? "" : i + 1 == l.watched.size() ? " or " : ", ") + l.watched[i];
  const std::string note = l.note.empty() ? "" : fmt::format(" ({})", l.note);
  if (l.total == 0) return Pass(e, fmt::format("the run left nothing in {}{}", watched, note));
  std::string list;
  bool all_removed = true, none_removed = true;
  for (size_t i = 0; i < l.entries.size() && i < kNamesShown; ++i) {
    const LeftEntry& x = l.entries[i];
    std::string what = Article(x.kind);
    if (x.kind == "file" && x.path.starts_with("/dev/shm/sem."))
      what = "a POSIX semaphore: sem_unlink() removes it";
    else if (x.kind == "file" && x.path.starts_with("/dev/shm/"))
      what = fmt::format("POSIX shared memory of {}: shm_unlink() removes it", Bytes(x.size));
    else if (x.kind == "file")
      what += " of " + Bytes(x.size);
    else if (x.kind == "folder")
      what += fmt::format(" with {} entr{}", x.entries, x.entries == 1 ? "y" : "ies");
    if (!x.error.empty()) what += "; proclab could not remove it: " + x.error;
    list += fmt::format("{}{} ({})", i ? ", " : "", Name(x.path), what);
    (x.removed ? none_removed : all_removed) = false;
  }
  for (size_t i = kNamesShown; i < l.entries.size(); ++i)
    (l.entries[i].removed ? none_removed : all_removed) = false;
  const int64_t more = l.total - static_cast<int64_t>(std::min(l.entries.size(), kNamesShown));
  if (more > 0) list += fmt::format(", and {} more", more);
  std::string fate;
  const bool one = l.total == 1;
  if (all_removed)
    fate = one ? "; proclab removed it" : "; proclab removed them";
  else if (none_removed)
    fate = one ? "; it is still there" : "; they are still there";
  else
    fate = "; proclab removed what it could";
  return Fail(e, fmt::format("left behind outside its folder: {}{}{}", list, fate, note));
}

}  // namespace

Verdict CheckFiles(const Context& c, const Expectation& e) {
  if (e.Files().outside) return CheckLeftOutside(c, e);
  const FileFacts* f = nullptr;
  for (const auto& x : c.timeline.files)
    if (x.pattern == e.Files().path) f = &x;
  if (!f) return Fail(e, fmt::format("the lab recorded nothing about '{}'", Name(e.Files().path)));
  const IntRange want = e.Files().absent  ? IntRange::Exactly(0)
                        : e.count.empty() ? IntRange{1, std::nullopt}
                                          : e.count;
  const bool glob = HasWildcard(e.Files().path);
  // Past the scan cap the count is a floor: it fails only what a floor rules out.
  const bool count_ok =
      f->capped ? !(want.max && f->matched > *want.max) : want.Contains(f->matched);
  if (!count_ok) {
    if (f->matched == 0) return Fail(e, NothingThere(e, *f));
    if (want.max && *want.max == 0) {
      if (!glob && f->entries.size() == 1)
        return Fail(
            e, fmt::format("{} is still there: {}", Name(e.Files().path), What(f->entries[0])));
      return Fail(e, fmt::format("{} entr{} match '{}': {}", f->matched,
                                 f->matched == 1 ? "y" : "ies", Name(e.Files().path), Matches(*f)));
    }
    return Fail(e, fmt::format("{}{} entr{} matched '{}', expected {}{}: {}",
                               f->capped ? "at least " : "", f->matched,
                               f->matched == 1 ? "y" : "ies", Name(e.Files().path), want.Describe(),
                               f->capped ? " (the lab stopped counting there)" : "", Matches(*f)));
  }
  if (f->matched == 0) {
    if (!f->gone.empty())
      return Pass(
          e, glob ? fmt::format("nothing matches '{}': the run removed {}", Name(e.Files().path),
                                List(f->gone, static_cast<int64_t>(f->gone.size())))
                  : fmt::format("{} is not there: the run removed it", Name(e.Files().path)));
    return Pass(e, glob ? fmt::format("nothing matches '{}'", Name(e.Files().path))
                        : fmt::format("{} is not there", Name(e.Files().path)));
  }
  std::optional<Regex> re;
  std::string bindings;
  if (!e.pattern.empty()) {
    std::string missing;
    re = ExpandPattern(e.pattern, c.names, &missing, &bindings);
    if (!re) return Fail(e, c.Missing(missing));
  }
  const bool lines_or_bytes = re || !e.Files().size.empty();
  std::string found;
  for (const FileEntry& x : f->entries) {
    if (!e.Files().file_kind.empty() && x.kind != e.Files().file_kind)
      return Fail(e, fmt::format("{} is {}, not {}", Name(x.path), Article(x.kind),
                                 Article(e.Files().file_kind)));
    if (lines_or_bytes && x.kind != "file")
      return Fail(e, fmt::format("{} is {}, not a file", Name(x.path), Article(x.kind)));
    if (!e.Files().size.empty() && !e.Files().size.Contains(x.size))
      return Fail(e, fmt::format("{} has {}, expected {}", Name(x.path), Bytes(x.size),
                                 BytesRange(e.Files().size)));
    if (e.Files().written && !x.written)
      return Fail(e, fmt::format("{} was there before the run, and the run did not change it",
                                 Name(x.path)));
    if (re) {
      std::string line;
      if (std::string problem = LineProblem(x, *re, e.pattern, &line); !problem.empty()) {
        if (!bindings.empty()) problem += fmt::format(" (where {})", bindings);
        return Fail(e, problem);
      }
      if (found.empty()) found = line;
    }
  }
  std::string why =
      !glob && f->entries.size() == 1
          ? fmt::format("{} is there: {}", Name(e.Files().path), What(f->entries[0]))
          : fmt::format("{} entr{} matched '{}': {}", f->matched, f->matched == 1 ? "y" : "ies",
                        Name(e.Files().path), Matches(*f));
  if (f->matched > static_cast<int64_t>(f->entries.size()))
    why += fmt::format(" (the lab looked closely at the first {})", f->entries.size());
  if (!found.empty()) why += "; " + found;
  return Pass(e, why);
}

}  // namespace proclab::expect
