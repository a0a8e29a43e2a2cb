#include "runner/scenario/scenario.h"

#include <fmt/format.h>

namespace proclab {

std::string IntRange::Describe() const {
  if (min && max && *min == *max) return std::to_string(*min);
  if (min && max) return fmt::format("between {} and {}", *min, *max);
  if (min) return fmt::format("at least {}", *min);
  if (max) return fmt::format("at most {}", *max);
  return "any number";
}

const Actor* Scenario::FindActor(const std::string& name) const {
  for (const auto& a : actors)
    if (a.name == name) return &a;
  return nullptr;
}

const Role* Scenario::FindRole(const std::string& name) const {
  for (const auto& r : roles)
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<std::string> Scenario::ProcessNames() const {
  std::vector<std::string> out;
  for (const auto& a : actors) out.push_back(a.name);
  for (const auto& r : roles) out.push_back(r.name);
  return out;
}

}  // namespace proclab
