// The unprivileged identity programs run as when the runner is root, and
// reading a file as such an account would.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "runner/base/error.h"

namespace proclab::os {

struct Account {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};

// "nobody", a user name, or a numeric uid.
Result<Account> LookupAccount(const std::string& user);

// The text of `path` (a regular file of at most `max_bytes`) as `who` reads
// it: a forked child switches to `who` (when that is not the runner's own
// uid, without supplementary groups) and reads it, so that permissions and
// symbolic links are judged for `who`. The error is only the reason:
// "Permission denied (EACCES)", "not a regular file", "larger than 16MiB",
// "timed out after 2m".
Result<std::string> ReadFileAs(const std::string& path, const Account& who, int64_t max_bytes,
                               int64_t timeout_us);

}  // namespace proclab::os
