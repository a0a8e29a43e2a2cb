#include <algorithm>

#include "reports/trace_text.h"

#include <fmt/format.h>

#include <limits>
#include <map>

#include "runner/base/text.h"
#include "runner/base/units.h"
#include "runner/timeline/describe.h"
#include "runner/timeline/stuck.h"

namespace proclab {
namespace {

void Tree(const std::vector<ProcessRecord>& procs, size_t index, const std::string& prefix,
          bool last, bool root, pid_t lab_pid, std::string* out) {
  const ProcessRecord& p = procs[index];
  std::string line = root ? "  " : prefix + (last ? "└─ " : "├─ ");
  std::vector<std::string> facts;
  if (p.exit)
    facts.push_back(fmt::format("{} at {}s", p.exit->Describe(), FormatSeconds(*p.end_us)));
  else
    facts.push_back("never exited");
  for (const auto& [t, to] : p.adoptions)
    facts.push_back(fmt::format("adopted by {} at {}s", PidText(to, lab_pid), FormatSeconds(t)));
  if (p.reaped_by) {
    facts.push_back(p.reaped_by->kind == Party::kKernel
                        ? std::string("reaped automatically (parent ignores SIGCHLD)")
                        : fmt::format("reaped by {}", PartyText(*p.reaped_by, lab_pid)));
  } else if (p.exit) {
    facts.push_back("never reaped");
  }
  if (p.killed_by_lab) facts.push_back("killed by the lab");
  if (p.threads) facts.push_back(fmt::format("{} thread{}", p.threads, p.threads == 1 ? "" : "s"));
  if (p.usage) {
    // Its own CPU (its threads; not the children it reaped), and the peak
    // memory the kernel kept for it.
    facts.push_back(fmt::format("cpu {}s (user {}s, system {}s), peak {}",
                                FormatSeconds(p.usage->cpu_us()), FormatSeconds(p.usage->user_us),
                                FormatSeconds(p.usage->system_us),
                                FormatSize(p.usage->max_rss_kb * 1024)));
    if (!p.usage->widened_to.empty())
      facts.push_back(fmt::format("widened its CPU affinity to {}", p.usage->widened_to));
  }
  std::string joined;
  for (const auto& f : facts) joined += (joined.empty() ? "" : "; ") + f;
  *out += fmt::format("{}{} {}  — {}\n", line, p.pid, Argv(p.argv).empty() ? p.name : Argv(p.argv),
                      joined);
  std::vector<size_t> kids;
  for (size_t i = 0; i < procs.size(); ++i)
    if (i != index && procs[i].ppid == p.pid && procs[i].first_event > p.first_event &&
        (!p.reaped_us || procs[i].start_us <= *p.reaped_us))
      kids.push_back(i);
  std::string child_prefix = root ? "  " : prefix + (last ? "   " : "│  ");
  for (size_t k = 0; k < kids.size(); ++k)
    Tree(procs, kids[k], child_prefix, k + 1 == kids.size(), false, lab_pid, out);
}

// What the caps refused, each creation named with its cap. A thread is only
// ever refused at the task cap; a fork at the process cap or the task cap,
// told apart by the caps' limit events (one per cap): with both caps hit and
// threads refused too, which cap refused the forks is not known.
std::string Refused(const Timeline& t) {
  const RunSummary& s = t.summary;
  std::string out;
  if (s.forks_refused) {
    bool processes = false, tasks = false;
    for (const auto& e : t.events()) {
      if (e.type != EventType::kLimit) continue;
      processes = processes || e.kind == "processes";
      tasks = tasks || e.kind == "tasks";
    }
    const char* cap = !tasks              ? "the process cap"
                      : !processes        ? "the task cap"
                      : s.threads_refused ? "the process or the task cap"
                                          : "the process and the task caps";
    out += fmt::format("{} fork{} refused at {}\n", s.forks_refused,
                       s.forks_refused == 1 ? "" : "s", cap);
  }
  if (s.threads_refused)
    out += fmt::format("{} thread creation{} refused at the task cap\n", s.threads_refused,
                       s.threads_refused == 1 ? "" : "s");
  return out;
}

}  // namespace

std::string RenderTraceText(const Timeline& t, const TraceTextOptions& opt) {
  std::string out;
  const pid_t lab = t.lab.pid;
  out += fmt::format("proclab trace: {}\n", Argv(t.command));
  out += fmt::format(
      "lab: pid {}, {}{}\n", lab,
      t.lab.pid_namespace ? "PID 1 of its own PID namespace" : "child subreaper (no PID namespace",
      t.lab.pid_namespace ? "" : (t.lab.note.empty() ? ")" : ": " + t.lab.note + ")"));
  if (!t.lab.cgroup.empty()) out += fmt::format("cgroup: {}\n", t.lab.cgroup);
  if (!t.lab.network.empty()) out += fmt::format("network: {}\n", t.lab.network);
  if (!t.lab.cpus.empty())
    out += fmt::format("cpus: {} ({}){}\n", FormatCpuList(t.lab.cpus), t.lab.cpus.size(),
                       t.lab.pinned_by == "cpuset"     ? ", pinned by a cpuset"
                       : t.lab.pinned_by == "affinity" ? ", pinned by affinity only (no cpuset)"
                                                       : "");
  if (!t.launch_error.empty()) out += fmt::format("\n{}\n", t.launch_error);

  std::vector<ProcessRecord> procs = t.Processes();
  if (!procs.empty()) {
    out += "\nProcesses\n";
    for (size_t i = 0; i < procs.size(); ++i) {
      bool has_parent = false;
      for (size_t j = 0; j < i; ++j)
        if (procs[j].pid == procs[i].ppid) has_parent = true;
      if (!has_parent) Tree(procs, i, "", true, true, lab, &out);
    }
  }

  out += "\nTimeline\n";
  // Steps the caller named, in the order they finished, among the events.
  size_t next_step = 0;
  auto steps_until = [&](int64_t t_us) {
    for (; next_step < t.steps.size() && t.steps[next_step].t_us <= t_us; ++next_step) {
      const StepResult& r = t.steps[next_step];
      const auto index = static_cast<size_t>(r.index);
      if (index >= opt.steps.size() || opt.steps[index].empty()) continue;
      out += fmt::format("  {:>8}s  {:<18} {}\n", FormatSeconds(r.t_us), "lab",
                         r.ok ? opt.steps[index] : r.message.substr(0, r.message.find('\n')));
    }
  };
  std::map<pid_t, std::string> names;
  for (const auto& e : t.events()) {
    if (e.type == EventType::kSample) continue;  // counted below; drawn by --html
    steps_until(e.t_us);
    if ((e.type == EventType::kSpawn || e.type == EventType::kExec ||
         e.type == EventType::kActor) &&
        !e.name.empty())
      names[e.pid] = e.name;
    if (e.type == EventType::kFork && !e.thread) names[e.pid] = names[e.parent];
    pid_t subject = e.pid;
    if (e.type == EventType::kFork) subject = e.parent;
    if (e.type == EventType::kSignalSent && e.from.kind == Party::kProcess) subject = e.from.pid;
    std::string who = e.type == EventType::kCheckpoint || (e.type == EventType::kLimit && !e.pid)
                          ? "lab"
                          : fmt::format("{} {}", subject, names[subject]);
    std::string line = fmt::format(
        "  {:>8}s  {:<18} {}", FormatSeconds(e.t_us), who,
        e.type == EventType::kOutput
            ? fmt::format("{}: {}", StreamName(e.stream), QuoteOutput(e.text, opt.max_text))
            : DescribeEvent(e, lab));
    out += line + "\n";
    // A timeout's snapshot: where each live process was stuck.
    if (e.type == EventType::kLimit)
      for (const auto& p : e.processes)
        out += fmt::format("  {:>8}   {:<18} {}{}\n", "", fmt::format("{} {}", p.pid, p.name),
                           DescribeStuck(p, [&](pid_t q) { return PidText(q, lab); }),
                           p.last_event_us >= 0
                               ? fmt::format(" (last event at {}s)", FormatSeconds(p.last_event_us))
                               : "");
  }
  steps_until(std::numeric_limits<int64_t>::max());

  std::vector<std::string> leftovers;
  for (const auto& p : procs)
    if (p.killed_by_lab)
      leftovers.push_back(fmt::format("{} {} ({})", p.pid, p.name, *p.killed_by_lab));
  if (!leftovers.empty()) {
    out += "\nLeft over, killed by the lab:\n";
    for (const auto& l : leftovers) out += "  " + l + "\n";
  }
  const RunSummary& s = t.summary;
  for (int i = 0; i < 2; ++i) {
    const char* stream = i == 0 ? "stdout" : "stderr";
    if (s.output_dropped[i])
      out += fmt::format("{}: {} bytes past the output cap were counted, not kept\n", stream,
                         s.output_dropped[i]);
    if (s.output_unattributed[i])
      out += fmt::format("{}: {} bytes reached the pipe by other means than write(2) on fd 1/2\n",
                         stream, s.output_unattributed[i]);
  }
  out += Refused(t);
  if (s.cpu_us >= 0)
    out += fmt::format("cpu: {}s used by the run's processes{}\n", FormatSeconds(s.cpu_us),
                       s.cgroup_cpu_us >= 0 ? fmt::format(" ({}s by its cgroup's count)",
                                                          FormatSeconds(s.cgroup_cpu_us))
                                            : "");
  const auto samples = std::count_if(t.events().begin(), t.events().end(),
                                     [](const Event& e) { return e.type == EventType::kSample; });
  if (samples)
    out += fmt::format("cpu samples: {} (not listed above; --html shades the lanes by them)\n",
                       samples);
  if (s.events_dropped)
    out += fmt::format("{} events past the event cap were counted, not kept\n", s.events_dropped);
  if (!s.lab_error.empty()) out += fmt::format("proclab failed: {}\n", s.lab_error);
  if (t.complete)
    out += fmt::format("\nended at {}s\n", FormatSeconds(s.end_us));
  else if (!t.events().empty())
    out += fmt::format("\nthe lab died: what it saw ends at {}s\n",
                       FormatSeconds(t.events().back().t_us));
  (void)opt.color;
  return EscapeControls(out);  // names and reasons come from programs and files
}

}  // namespace proclab
