// The unprivileged identity programs run as when the runner is root.
#pragma once

#include <sys/types.h>

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

}  // namespace proclab::os
