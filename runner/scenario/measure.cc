#include "runner/scenario/measure.h"

namespace proclab {

const std::vector<std::string>& ValueStats() {
  static const std::vector<std::string> kStats = {"last",   "sum",  "min",  "max",
                                                  "median", "mean", "count"};
  return kStats;
}

}  // namespace proclab
