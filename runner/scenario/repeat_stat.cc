#include "runner/scenario/repeat_stat.h"

namespace proclab {

const char* RepeatStatName(RepeatStat s) {
  switch (s) {
    case RepeatStat::kMin: return "min";
    case RepeatStat::kMedian: return "median";
    case RepeatStat::kMean: return "mean";
    case RepeatStat::kP90: return "p90";
    case RepeatStat::kMax: return "max";
  }
  return "?";
}

const std::vector<std::string>& RepeatStatNames() {
  static const std::vector<std::string> names = {"min", "median", "mean", "p90", "max"};
  return names;
}

std::string StatBound::Describe() const {
  std::string body;
  if (min) body += "min: " + min->text();
  if (max) body += (body.empty() ? "max: " : ", max: ") + max->text();
  return std::string(RepeatStatName(stat)) + ": {" + body + "}";
}

}  // namespace proclab
