#include "runner/lab/lab_config.h"

#include <algorithm>

namespace proclab {

std::vector<std::string> ProgramEnvironment(const std::vector<std::string>& overrides,
                                            const std::string& home, const std::string& user) {
  // Nothing comes from the caller's environment: a run must not depend on who
  // started it. docs/environment.md explains each choice.
  std::vector<std::string> env = {
      "PATH=/usr/local/bin:/usr/bin:/bin",
      "HOME=" + home,
      "TMPDIR=" + home,
      "USER=" + user,
      "LOGNAME=" + user,
      "SHELL=/bin/sh",
      "LANG=C.UTF-8",
      "LC_ALL=C.UTF-8",
      "TERM=dumb",
      "PYTHONUNBUFFERED=1",
      "PYTHONDONTWRITEBYTECODE=1",
      "PROCLAB=1",
  };
  for (const std::string& kv : overrides) {
    size_t eq = kv.find('=');
    std::string key = kv.substr(0, eq);
    env.erase(std::remove_if(env.begin(), env.end(),
                             [&](const std::string& e) {
                               return e.compare(0, key.size() + 1, key + "=") == 0;
                             }),
              env.end());
    if (eq != std::string::npos) env.push_back(kv);
  }
  return env;
}

}  // namespace proclab
