#include "runner/scenario/names.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "runner/base/regex.h"

namespace proclab {
namespace {

std::string Join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

void AddUnique(std::vector<int>* v, int id) {
  if (std::find(v->begin(), v->end(), id) == v->end()) v->push_back(id);
}

}  // namespace

Names::Names(const Scenario& s, const Timeline& t) : s_(s), t_(t), records_(t.Processes()) {
  for (const auto& rec : records_) {
    by_pid_[rec.pid].push_back(rec.id);
    comms_[rec.id];
    argvs_[rec.id];
  }
  const auto& events = t.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.type != EventType::kSpawn && e.type != EventType::kExec && e.type != EventType::kActor)
      continue;
    const ProcessRecord* rec = RecordAt(e.pid, i);
    if (!rec) continue;
    if (e.type == EventType::kActor) {
      AddUnique(&actors_[e.name], rec->id);
    } else {
      if (!e.name.empty()) comms_[rec->id].push_back(e.name);
      argvs_[rec->id].push_back(Join(e.argv));
    }
  }
}

const ProcessRecord* Names::Record(pid_t pid) const {
  auto it = by_pid_.find(pid);
  return it == by_pid_.end() ? nullptr : &ById(it->second.back());
}

const ProcessRecord* Names::RecordAt(pid_t pid, size_t index) const {
  auto it = by_pid_.find(pid);
  if (it == by_pid_.end()) return nullptr;
  for (int id : it->second)
    if (ById(id).Holds(pid, index)) return &ById(id);
  return nullptr;
}

std::vector<int> Names::Ids(const std::string& name) const {
  if (auto it = actors_.find(name); it != actors_.end()) return it->second;
  if (const Role* role = s_.FindRole(name)) return ResolveRole(*role, 0);
  return {};
}

std::vector<const ProcessRecord*> Names::ResolveRecords(const std::string& name) const {
  std::vector<const ProcessRecord*> out;
  for (int id : Ids(name)) out.push_back(&ById(id));
  return out;
}

std::vector<pid_t> Names::Resolve(const std::string& name) const {
  if (name == "lab") return {t_.lab.pid};
  std::vector<pid_t> out;
  for (int id : Ids(name))
    if (std::find(out.begin(), out.end(), ById(id).pid) == out.end()) out.push_back(ById(id).pid);
  return out;
}

bool Names::Means(const std::string& name, pid_t pid, size_t index) const {
  if (name == "lab") return pid == t_.lab.pid;
  const ProcessRecord* rec = RecordAt(pid, index);
  if (!rec) return false;
  const auto ids = Ids(name);
  return std::find(ids.begin(), ids.end(), rec->id) != ids.end();
}

bool Names::MeansSender(const std::string& name, pid_t pid, size_t index) const {
  if (name == "lab") return pid == t_.lab.pid;
  const ProcessRecord* rec = RecordAt(pid, index);
  if (!rec) {
    auto it = by_pid_.find(pid);
    if (it == by_pid_.end()) return false;
    for (int id : it->second)  // in order of birth: the last one born by then
      if (ById(id).first_event <= index) rec = &ById(id);
    if (!rec) return false;
  }
  const auto ids = Ids(name);
  return std::find(ids.begin(), ids.end(), rec->id) != ids.end();
}

std::vector<int> Names::ResolveRole(const Role& role, int depth) const {
  std::vector<int> out;
  if (depth > 16) return out;  // a child_of cycle resolves to nothing
  std::vector<int> candidates;
  if (role.main) {
    if (auto it = by_pid_.find(t_.main_pid); it != by_pid_.end())
      candidates.push_back(it->second.front());  // the one the lab started
  } else if (!role.child_of.empty()) {
    std::vector<int> parents;
    if (const Role* parent = s_.FindRole(role.child_of))
      parents = ResolveRole(*parent, depth + 1);
    else
      parents = Ids(role.child_of);
    int n = 0;
    const auto& events = t_.events();
    for (size_t i = 0; i < events.size(); ++i) {
      const Event& e = events[i];
      if (e.type != EventType::kFork || e.thread) continue;
      const ProcessRecord* parent = RecordAt(e.parent, i);
      if (!parent || std::find(parents.begin(), parents.end(), parent->id) == parents.end())
        continue;
      ++n;
      if (role.nth != 0 && role.nth != n) continue;
      if (const ProcessRecord* child = RecordAt(e.pid, i)) candidates.push_back(child->id);
    }
  } else {
    for (const auto& rec : records_) candidates.push_back(rec.id);
  }
  std::optional<Regex> re;
  if (!role.argv_regex.empty())
    if (auto r = Regex::Compile(role.argv_regex)) re = *r;
  for (int id : candidates) {
    if (!role.comm.empty()) {
      const auto& names = comms_.at(id);
      if (std::find(names.begin(), names.end(), role.comm) == names.end()) continue;
    }
    if (re) {
      const auto& argvs = argvs_.at(id);
      if (std::none_of(argvs.begin(), argvs.end(), [&](const auto& a) { return re->Search(a); }))
        continue;
    }
    AddUnique(&out, id);
  }
  return out;
}

std::string Names::NameOf(const ProcessRecord& rec) const {
  for (const auto& [name, ids] : actors_)
    if (std::find(ids.begin(), ids.end(), rec.id) != ids.end()) return name;
  for (const auto& role : s_.roles) {
    auto ids = ResolveRole(role, 0);
    if (std::find(ids.begin(), ids.end(), rec.id) != ids.end()) return role.name;
  }
  return {};
}

std::string Names::NameOf(pid_t pid) const {
  const ProcessRecord* rec = Record(pid);
  return rec ? NameOf(*rec) : std::string();
}

std::string Names::Label(const ProcessRecord& rec) const {
  std::string name = NameOf(rec);
  if (!name.empty()) return fmt::format("{} (pid {})", name, rec.pid);
  if (!rec.name.empty()) return fmt::format("pid {} ({})", rec.pid, rec.name);
  return fmt::format("pid {}", rec.pid);
}

std::string Names::Label(pid_t pid) const {
  if (pid == t_.lab.pid) return fmt::format("the lab (pid {})", pid);
  if (const ProcessRecord* rec = Record(pid)) return Label(*rec);
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
