#include "runner/scenario/names.h"

#include <fmt/format.h>

#include <algorithm>

#include "runner/base/regex.h"

namespace proclab {
namespace {

std::string Join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

void AddUnique(std::vector<pid_t>* v, pid_t pid) {
  if (std::find(v->begin(), v->end(), pid) == v->end()) v->push_back(pid);
}

}  // namespace

Names::Names(const Scenario& s, const Timeline& t) : s_(s), t_(t), records_(t.Processes()) {
  for (const auto& rec : records_) {
    comms_[rec.pid];
    argvs_[rec.pid];
  }
  for (const auto& e : t.events()) {
    if (e.type == EventType::kSpawn || e.type == EventType::kExec) {
      if (!e.name.empty()) comms_[e.pid].push_back(e.name);
      argvs_[e.pid].push_back(Join(e.argv));
    } else if (e.type == EventType::kActor) {
      AddUnique(&actors_[e.name], e.pid);
    }
  }
}

const ProcessRecord* Names::Record(pid_t pid) const {
  for (auto it = records_.rbegin(); it != records_.rend(); ++it)
    if (it->pid == pid) return &*it;
  return nullptr;
}

std::vector<pid_t> Names::Resolve(const std::string& name) const {
  if (name == "lab") return {t_.lab.pid};
  if (auto it = actors_.find(name); it != actors_.end()) return it->second;
  if (const Role* role = s_.FindRole(name)) return ResolveRole(*role, 0);
  return {};
}

std::vector<pid_t> Names::ResolveRole(const Role& role, int depth) const {
  std::vector<pid_t> out;
  if (depth > 16) return out;  // child_of cycles were refused at load time; stay safe
  std::vector<pid_t> candidates;
  if (role.main) {
    if (t_.main_pid) candidates.push_back(t_.main_pid);
  } else if (!role.child_of.empty()) {
    std::vector<pid_t> parents;
    if (const Role* parent = s_.FindRole(role.child_of))
      parents = ResolveRole(*parent, depth + 1);
    else
      parents = Resolve(role.child_of);
    int n = 0;
    for (const auto& e : t_.events()) {
      if (e.type != EventType::kFork || e.thread) continue;
      if (std::find(parents.begin(), parents.end(), e.parent) == parents.end()) continue;
      ++n;
      if (role.nth == 0 || role.nth == n) candidates.push_back(e.pid);
    }
  } else {
    for (const auto& rec : records_) candidates.push_back(rec.pid);
  }
  std::optional<Regex> re;
  if (!role.argv_regex.empty())
    if (auto r = Regex::Compile(role.argv_regex)) re = *r;
  for (pid_t pid : candidates) {
    if (!role.comm.empty()) {
      const auto& names = comms_.at(pid);
      if (std::find(names.begin(), names.end(), role.comm) == names.end()) continue;
    }
    if (re) {
      const auto& argvs = argvs_.count(pid) ? argvs_.at(pid) : std::vector<std::string>{};
      if (std::none_of(argvs.begin(), argvs.end(), [&](const auto& a) { return re->Search(a); }))
        continue;
    }
    AddUnique(&out, pid);
  }
  return out;
}

std::string Names::NameOf(pid_t pid) const {
  for (const auto& [name, pids] : actors_)
    if (std::find(pids.begin(), pids.end(), pid) != pids.end()) return name;
  for (const auto& role : s_.roles) {
    auto pids = ResolveRole(role, 0);
    if (std::find(pids.begin(), pids.end(), pid) != pids.end()) return role.name;
  }
  return {};
}

std::string Names::Label(pid_t pid) const {
  if (pid == t_.lab.pid) return fmt::format("the lab (pid {})", pid);
  std::string name = NameOf(pid);
  if (!name.empty()) return fmt::format("{} (pid {})", name, pid);
  const ProcessRecord* rec = Record(pid);
  if (rec && !rec->name.empty()) return fmt::format("pid {} ({})", pid, rec->name);
  return fmt::format("pid {}", pid);
}

std::string Names::Label(const Party& p) const {
  switch (p.kind) {
    case Party::kProcess: return Label(p.pid);
    case Party::kTty: return "the terminal";
    case Party::kKernel: return "the kernel";
    case Party::kLab: return "the lab";
    default: return "a sender outside the lab";
  }
}

}  // namespace proclab
