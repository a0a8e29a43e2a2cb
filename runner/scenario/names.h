// Which processes a name means: actor names (from `actor` events), roles
// (resolved by their rules over the timeline), "lab". Used by steps while the
// run goes on and by expectations afterwards, so both agree.
//
// A name means process records, not bare pids: a pid reused after its first
// holder was reaped is another process, with another name (or none). Where a
// pid is all there is (an event), Means() asks about the process that held
// it at that event.
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
  [[nodiscard]] std::vector<const ProcessRecord*> ResolveRecords(const std::string& name) const;
  // Their pids ("lab": the lab's), without repeats.
  [[nodiscard]] std::vector<pid_t> Resolve(const std::string& name) const;
  // Whether the process that held `pid` at event `index` is called `name`.
  [[nodiscard]] bool Means(const std::string& name, pid_t pid, size_t index) const;
  // The same for the sender of a signal delivered at `index`: the sender may
  // have exited and been reaped between its kill() and the delivery (a
  // conductor that signals the driver and _exits at once), so it is the
  // process that last held `pid` at or before that event.
  [[nodiscard]] bool MeansSender(const std::string& name, pid_t pid, size_t index) const;

  // "driver (pid 2)", or "pid 5 (sleep)" for a process without a name; the
  // latest process with that pid.
  [[nodiscard]] std::string Label(pid_t pid) const;
  [[nodiscard]] std::string Label(const ProcessRecord& rec) const;
  // The first actor or role name of `pid` (its latest process), or "".
  [[nodiscard]] std::string NameOf(pid_t pid) const;
  [[nodiscard]] std::string NameOf(const ProcessRecord& rec) const;
  // Party for messages: "conductor (pid 3)", "the terminal", "the kernel", "the lab".
  [[nodiscard]] std::string Label(const Party& p) const;

  [[nodiscard]] const Timeline& timeline() const { return t_; }
  [[nodiscard]] const std::vector<ProcessRecord>& records() const { return records_; }
  // The latest process with `pid`, or the one that held it at event `index`.
  [[nodiscard]] const ProcessRecord* Record(pid_t pid) const;
  [[nodiscard]] const ProcessRecord* RecordAt(pid_t pid, size_t index) const;

 private:
  [[nodiscard]] std::vector<int> ResolveRole(const Role& role, int depth) const;  // record ids
  [[nodiscard]] std::vector<int> Ids(const std::string& name) const;
  [[nodiscard]] const ProcessRecord& ById(int id) const {
    return records_[static_cast<size_t>(id - 1)];
  }

  const Scenario& s_;
  const Timeline& t_;
  std::vector<ProcessRecord> records_;              // records_[id - 1]
  std::map<pid_t, std::vector<int>> by_pid_;        // every record a pid had, in order
  std::map<int, std::vector<std::string>> comms_;   // every name a process had
  std::map<int, std::vector<std::string>> argvs_;   // every argv, joined
  std::map<std::string, std::vector<int>> actors_;  // actor name -> records
};

}  // namespace proclab
