#include "runner/os/cpu_affinity.h"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>

#include "runner/os/sys_error.h"

namespace proclab::os {

std::vector<int> AllowedCpus() {
  std::vector<int> out;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return out;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) out.push_back(c);
  return out;
}

Status PinSelf(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus)
    if (c >= 0 && c < CPU_SETSIZE) CPU_SET(c, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    std::string list;
    for (int c : cpus) list += (list.empty() ? "" : ",") + std::to_string(c);
    return SysError(fmt::format("sched_setaffinity(0, {{{}}})", list));
  }
  return {};
}

Result<std::vector<int>> ChooseCpus(int count, const std::vector<int>& list) {
  const std::vector<int> mine = AllowedCpus();
  if (!list.empty()) {
    for (int c : list)
      if (!std::binary_search(mine.begin(), mine.end(), c))
        return Error(fmt::format("CPU {} is not one proclab may use (it may use {} of them)", c,
                                 mine.size()));
    return list;
  }
  if (count < 1) return Error("the number of CPUs must be at least 1");
  if (static_cast<size_t>(count) > mine.size())
    return Error(fmt::format("{} CPUs asked for, but proclab may use only {}", count, mine.size()));
  return std::vector<int>(mine.begin(), mine.begin() + count);
}

}  // namespace proclab::os
