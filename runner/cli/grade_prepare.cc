#include "runner/cli/grade_prepare.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "runner/lab/lab_session.h"
#include "runner/os/copy_tree.h"

namespace proclab::cli {
namespace fs = std::filesystem;

namespace {

// What a build printed, stdout and stderr in the order written.
std::string OutputOf(const Timeline& t) {
  std::string out;
  for (const Event& e : t.events())
    if (e.type == EventType::kOutput) out += e.text;
  if (out.size() > 4000) out = "…" + out.substr(out.size() - 4000);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

BuildRecord Stage(const Submission& s, const GradeConfig& config, const std::string& dir) {
  BuildRecord p;
  if (s.archive) {
    std::error_code ec;
    fs::create_directory(dir, ec);
    if (Status st = Unpack(s.source, dir, config.max_unpacked); !st) {
      p.problem = "the archive was refused: " + st.error().message;
      return p;
    }
  } else if (Status st = os::CopyTree(s.source, dir); !st) {
    p.problem = st.error().message;
    return p;
  }
  if (s.single_file) {
    p.entry = fs::path(s.source).filename().string();
  } else {
    auto entry = FindEntry(dir, config.entry);
    if (!entry) {
      p.problem = entry.error().message;
      return p;
    }
    p.entry = *entry;
  }
  return p;
}

void Build(BuildRecord& p, const GradeConfig& config, const std::string& dir,
           os::Isolation isolation, int64_t build_uid) {
  const bool root = build_uid >= 0;
  const auto uid = static_cast<uid_t>(build_uid);
  auto build = config.build.find(LanguageOf(p.entry));
  if (build == config.build.end()) return;
  if (root) {
    // The build runs as an account of its own, in a folder it owns.
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
         ++it)
      if (lchown(it->path().c_str(), uid, uid) != 0) break;
    if (chown(dir.c_str(), uid, uid) != 0) p.problem = "cannot hand the build its folder";
  }
  LabConfig c;
  c.argv = {"/bin/sh", "-c", WithEntry(build->second, p.entry)};
  c.cwd = dir;
  c.timeout_us = config.build_timeout_us;
  c.isolation = isolation;
  if (root) c.user = std::to_string(build_uid);
  // Builds run one at a time: what the build's account left in /tmp and the
  // other shared folders is this build's, and goes.
  c.own_uid = root;
  auto t = RunLab(c);
  if (!t) {
    p.problem = "proclab could not run the build: " + t.error().message;
    return;
  }
  auto main = t->Process(t->main_pid);
  const bool ok = main && main->exit && !main->exit->signaled && main->exit->code == 0;
  if (!ok) {
    p.problem = fmt::format("the build failed ({}): {}", build->second,
                            main && main->exit ? main->exit->Describe() : "it did not finish");
    p.build_log = OutputOf(*t);
    if (p.build_log.empty()) p.build_log = "(the build printed nothing)";
  }
}

}  // namespace proclab::cli
