// A block of uids that no other proclab on this machine holds while this one
// does. Grading as root runs each job slot's programs as an account of its
// own; two gradings at once must not share one, or a hostile submission in
// one could write into the other's copies, and what one grading removes as
// "left behind by its account" could be the other's.
//
// A block is held by an flock on DIR/block-K, so it is free again the moment
// its holder exits, however it ends. DIR must be owned by root and writable
// by nobody else (it is made so when missing).
#pragma once

#include <sys/types.h>

#include <string>

#include "runner/base/error.h"
#include "runner/os/unique_fd.h"

namespace proclab::os {

// /run/proclab/uids, or $TMPDIR's proclab-uids when /run cannot hold it.
std::string DefaultUidLeaseDir();

class UidLease {
 public:
  // Takes the lowest free block K < `blocks`: uids first + K * size up to
  // first + (K + 1) * size - 1.
  static Result<UidLease> Take(const std::string& dir, uid_t first, uid_t size, int blocks);

  [[nodiscard]] uid_t first() const { return first_; }
  [[nodiscard]] int block() const { return block_; }

 private:
  UidLease(UniqueFd lock, uid_t first, int block)
      : lock_(std::move(lock)), first_(first), block_(block) {}
  UniqueFd lock_;
  uid_t first_ = 0;
  int block_ = 0;
};

}  // namespace proclab::os
