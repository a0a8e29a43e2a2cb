// The values a run measured, by name: numbers its output lines gave through
// the scenario's `measure:` declarations, and `value` events Lua actors
// recorded (lab.measure, lab.lock). `value`, `compare`, Lua's t:values()
// and reports read them from here, so all agree (docs/design.md §3.10.4).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runner/scenario/names.h"
#include "runner/scenario/scenario.h"

namespace proclab {

struct MeasuredValue {
  double value = 0;
  int64_t t_us = 0;
  pid_t pid = 0;
  size_t event = 0;  // index of the output line or value event it came from
};

struct MeasuredValues {
  // name -> its values in timeline order
  std::map<std::string, std::vector<MeasuredValue>> by_name;
  // Lines a measure's pattern matched whose `value` was not a number:
  // name -> (event index, the text captured), for explanations.
  std::map<std::string, std::vector<std::pair<size_t, std::string>>> unreadable;

  [[nodiscard]] const std::vector<MeasuredValue>* Find(const std::string& name) const;
};

MeasuredValues CollectValues(const Scenario& s, const Names& names);

// A statistic of values (measure.h's ValueStats()); nullopt for none.
std::optional<double> Statistic(const std::vector<MeasuredValue>& values, const std::string& stat);

// "1.25 by worker (pid 3) at 0.512s"
std::string DescribeValue(const Names& names, const MeasuredValue& v);
// A number as a person writes it: up to 6 significant digits.
std::string FormatNumber(double v);

// Why `name` has no value: what was declared, what the output held.
std::string WhyNoValue(const Scenario& s, const Names& names, const MeasuredValues& values,
                       const std::string& name);

}  // namespace proclab
