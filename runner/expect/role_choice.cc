#include "runner/expect/role_choice.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "runner/expect/judge.h"

namespace proclab {
namespace {

std::string Assignment(const std::vector<Role>& roles) {
  std::string out;
  for (const auto& r : roles) {
    if (r.name == "main" && r.main) continue;  // the same in every assignment
    out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", r.name, r.Describe());
  }
  return out;
}

std::string Points(double p) { return fmt::format("{:g}", std::round(p * 100) / 100); }

}  // namespace

double EarnedPoints(const Scenario& s, const std::vector<Verdict>& verdicts) {
  double fixed = 0;
  int shares = 0;
  for (const auto& v : verdicts) {
    if (v.origin != Verdict::Origin::kWritten) continue;
    if (v.points)
      fixed += *v.points;
    else
      ++shares;
  }
  const double share = shares ? std::max(0.0, s.points - fixed) / shares : 0;
  double earned = 0;
  for (const auto& v : verdicts)
    if (v.origin == Verdict::Origin::kWritten && v.passed) earned += v.points.value_or(share);
  return earned;
}

RoleChoice JudgeBestRoles(const Scenario& s, const Timeline& t, const ScriptJudge* scripts) {
  RoleChoice out;
  out.verdicts = Judge(s, t, scripts);
  if (s.alternative_roles.empty()) return out;
  out.assignments = static_cast<int>(s.alternative_roles.size()) + 1;
  std::vector<double> earned = {EarnedPoints(s, out.verdicts)};
  Scenario one = s;
  one.alternative_roles.clear();
  for (size_t i = 0; i < s.alternative_roles.size(); ++i) {
    one.roles = s.alternative_roles[i];
    auto verdicts = Judge(one, t, scripts);
    earned.push_back(EarnedPoints(one, verdicts));
    if (earned.back() > earned[out.chosen]) {  // strictly: ties keep the earlier one
      out.chosen = static_cast<int>(i) + 1;
      out.verdicts = std::move(verdicts);
    }
  }
  const auto& roles = out.chosen == 0 ? s.roles : s.alternative_roles[out.chosen - 1];
  std::string others;
  for (size_t i = 0; i < earned.size(); ++i)
    if (static_cast<int>(i) != out.chosen)
      others += fmt::format("{}assignment {} earned {}", others.empty() ? "" : ", ", i + 1,
                            Points(earned[i]));
  out.note = fmt::format(
      "judged with role assignment {} of {} ({}), which earned the most points ({} of {}; {})",
      out.chosen + 1, out.assignments, Assignment(roles), Points(earned[out.chosen]),
      Points(s.points), others);
  return out;
}

}  // namespace proclab
