#include "runner/lab/file_watch.h"

#include <fcntl.h>
#include <fmt/format.h>

#include "runner/os/file_glob.h"
#include "runner/os/sys_error.h"

namespace proclab {

Result<FileWatch> FileWatch::Start(Options options) {
  FileWatch w;
  w.options_ = std::move(options);
  const Options& o = w.options_;
  if (!o.paths.empty()) {
    const std::string cwd = o.cwd.empty() ? "." : o.cwd;
    w.cwd_.Reset(open(cwd.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!w.cwd_) return os::SysError(fmt::format("open({})", cwd));
    os::GlobOptions glob;
    glob.max_entries = kEntriesPerPath;
    glob.max_scanned = kNamesScanned;
    for (const auto& p : o.paths) {
      auto& seen = w.before_[p.pattern];
      for (const auto& e : os::GlobAt(w.cwd_.get(), p.pattern, glob).entries)
        seen[e.path] = {e.dev, e.ino, e.size, e.mtime_ns, e.ctime_ns};
    }
  }
  if (o.outside || o.remove_left) w.shared_ = os::SharedFolderWatch::Start(o.shared);
  return w;
}

void FileWatch::Finish(std::vector<FileFacts>* files, std::optional<LeftOutside>* left) {
  const Options& o = options_;
  int64_t budget = kTextPerRun;
  for (const auto& p : o.paths) {
    if (!cwd_) break;
    os::GlobOptions glob;
    glob.max_entries = kEntriesPerPath;
    glob.max_scanned = kNamesScanned;
    glob.read_bytes = p.text ? kTextPerFile : 0;
    glob.read_budget = &budget;
    if (o.as_program) {
      glob.reader_uid = o.uid;
      glob.reader_gid = o.gid;
    }
    os::GlobResult found = os::GlobAt(cwd_.get(), p.pattern, glob);
    FileFacts f;
    f.pattern = p.pattern;
    f.matched = found.matched;
    f.capped = found.capped;
    f.folder = std::move(found.folder);
    f.missing = std::move(found.missing);
    f.listing = std::move(found.listing);
    f.listing_total = found.listing_total;
    auto& before = before_[p.pattern];
    for (auto& e : found.entries) {
      FileEntry x;
      x.path = e.path;
      x.kind = os::KindOfMode(e.mode);
      x.size = e.size;
      auto was = before.find(e.path);
      x.written = was == before.end() ||
                  !(was->second == Signature{e.dev, e.ino, e.size, e.mtime_ns, e.ctime_ns});
      if (was != before.end()) before.erase(was);
      x.text = std::move(e.head);
      x.text_cut = e.head_cut;
      x.unread = std::move(e.unread);
      f.entries.push_back(std::move(x));
    }
    // What matched before and is not among what matches now (when the
    // entries are all recorded, that is what the run removed).
    if (found.matched == static_cast<int64_t>(f.entries.size()))
      for (const auto& [path, sig] : before) f.gone.push_back(path);
    files->push_back(std::move(f));
  }
  if (!shared_) return;
  LeftOutside l;
  l.watched = shared_->folders();
  l.note = shared_->note();
  const size_t max = o.remove_left ? SIZE_MAX : kLeftListed;
  for (auto& b : shared_->NewEntries(o.uid, o.ignore, max, &l.total)) {
    LeftEntry e;
    e.path = std::move(b.path);
    e.kind = os::KindOfMode(b.mode);
    e.size = b.size;
    e.entries = b.entries;
    if (o.remove_left) {
      if (Status st = os::RemoveTree(e.path); st)
        e.removed = true;
      else
        e.error = st.error().message;
    }
    if (l.entries.size() < kLeftListed) l.entries.push_back(std::move(e));
  }
  if (o.outside || l.total > 0) *left = std::move(l);
}

}  // namespace proclab
