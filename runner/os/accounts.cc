#include "runner/os/accounts.h"

#include <fmt/format.h>
#include <pwd.h>

#include <cctype>
#include <cstdlib>

namespace proclab::os {

Result<Account> LookupAccount(const std::string& user) {
  if (!user.empty() && std::isdigit(static_cast<unsigned char>(user[0]))) {
    uid_t uid = static_cast<uid_t>(std::strtoul(user.c_str(), nullptr, 10));
    passwd* pw = getpwuid(uid);
    return Account{uid, pw ? pw->pw_gid : static_cast<gid_t>(uid), pw ? pw->pw_name : user};
  }
  passwd* pw = getpwnam(user.c_str());
  if (!pw) {
    // Debian always has nobody; a minimal container may not.
    if (user == "nobody") return Account{65534, 65534, "nobody"};
    return Error(fmt::format("unknown user '{}'", user));
  }
  return Account{pw->pw_uid, pw->pw_gid, pw->pw_name};
}

}  // namespace proclab::os
