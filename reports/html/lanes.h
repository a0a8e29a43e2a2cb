// The page's lanes: one per process life (a reused pid gets a lane of its
// own, keyed by the record's `id`), ordered as the process tree (parent
// above its children, children in birth order), below one lane per party
// that is not a process (the lab, the terminal, the kernel) where the run
// has them. Lanes also answer "which lane did event i happen on".
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "runner/timeline/timeline.h"

namespace proclab::html {

struct Lane {
  enum class Kind { kProcess, kLab, kTty, kKernel, kUnknown };
  Kind kind = Kind::kProcess;
  int record = -1;  // index into Lanes::records(), for a process
  int depth = 0;    // in the tree: 0 for a child of the lab
};

class Lanes {
 public:
  explicit Lanes(const Timeline& t);

  [[nodiscard]] const std::vector<Lane>& lanes() const { return lanes_; }
  [[nodiscard]] const std::vector<ProcessRecord>& records() const { return records_; }
  // The lane of the process that held `pid` at event `index`; -1 if none.
  [[nodiscard]] int OfProcess(pid_t pid, size_t index) const;
  // The lane of a party at event `index`: a process, or a party lane.
  [[nodiscard]] int OfParty(const Party& p, size_t index) const;
  [[nodiscard]] int OfRecord(int record) const { return lane_of_record_[record]; }
  [[nodiscard]] int lab() const { return party_[0]; }
  [[nodiscard]] int tty() const { return party_[1]; }

 private:
  const Timeline& t_;
  std::vector<ProcessRecord> records_;
  std::map<pid_t, std::vector<int>> by_pid_;  // records of a pid, in birth order
  std::vector<Lane> lanes_;
  std::vector<int> lane_of_record_;
  int party_[4] = {-1, -1, -1, -1};  // lab, tty, kernel, unknown
};

}  // namespace proclab::html
