// Which processes a name means: actor names (from `actor` events), roles
// (resolved by their rules over the timeline), "lab". Used by steps while the
// run goes on and by expectations afterwards, so both agree.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "runner/scenario/scenario.h"
#include "runner/timeline/timeline.h"

namespace proclab {

class Names {
 public:
  Names(const Scenario& s, const Timeline& t);

  // The processes called `name`, in order of birth; empty when none (yet).
  [[nodiscard]] std::vector<pid_t> Resolve(const std::string& name) const;
  // "driver (pid 2)", or "pid 5 (sleep)" for a process without a name.
  [[nodiscard]] std::string Label(pid_t pid) const;
  // The first actor or role name of `pid`, or "".
  [[nodiscard]] std::string NameOf(pid_t pid) const;
  // Party for messages: "conductor (pid 3)", "the terminal", "the kernel", "the lab".
  [[nodiscard]] std::string Label(const Party& p) const;

  [[nodiscard]] const Timeline& timeline() const { return t_; }
  [[nodiscard]] const std::vector<ProcessRecord>& records() const { return records_; }
  [[nodiscard]] const ProcessRecord* Record(pid_t pid) const;

 private:
  [[nodiscard]] std::vector<pid_t> ResolveRole(const Role& role, int depth) const;
  const Scenario& s_;
  const Timeline& t_;
  std::vector<ProcessRecord> records_;
  std::map<pid_t, std::vector<std::string>> comms_;  // every name a pid had
  std::map<pid_t, std::vector<std::string>> argvs_;  // every argv, joined
  std::map<std::string, std::vector<pid_t>> actors_;
};

}  // namespace proclab
