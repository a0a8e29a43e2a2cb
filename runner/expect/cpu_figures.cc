#include "runner/expect/cpu_figures.h"

#include <fmt/format.h>

namespace proclab::expect {

int GrantedCpus(const Timeline& t) { return static_cast<int>(t.lab.cpus.size()); }

std::optional<int64_t> CpuAt(const Timeline& t, const ProcessRecord& rec, size_t index,
                             std::string* why) {
  const bool at_end = index == SIZE_MAX;
  if (!at_end && rec.first_event >= index) return 0;
  if (rec.exit_event != SIZE_MAX && (at_end || rec.exit_event <= index)) {
    if (rec.usage) return rec.usage->cpu_us();
    if (why)
      *why = fmt::format(
          "pid {} ({}) has no CPU figures: the trace was written before proclab "
          "recorded them",
          rec.pid, rec.name);
    return std::nullopt;
  }
  if (!at_end && index < t.events().size())
    for (const auto& r : t.events()[index].cpu)
      if (r.pid == rec.pid) return r.cpu_us;
  if (why)
    *why = at_end ? fmt::format("pid {} ({}) never exited, so it has no CPU figures", rec.pid,
                                rec.name)
                  : fmt::format(
                        "the lab took no CPU reading of pid {} ({}) at that event (it "
                        "reads at most 64 processes per event)",
                        rec.pid, rec.name);
  return std::nullopt;
}

std::string WidenedNote(const Timeline& t) {
  std::string out;
  for (const auto& rec : t.Processes())
    if (rec.usage && !rec.usage->widened_to.empty())
      out += fmt::format("{}pid {} ({}) widened its CPU affinity to {}", out.empty() ? "" : "; ",
                         rec.pid, rec.name, rec.usage->widened_to);
  if (out.empty()) return out;
  return fmt::format(
      " (note: {}, past the CPUs the run was granted: without a cpuset, "
      "nothing stops it)",
      out);
}

}  // namespace proclab::expect
