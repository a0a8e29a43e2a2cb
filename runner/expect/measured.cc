#include "runner/expect/measured.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "runner/base/units.h"
#include "runner/expect/patterns.h"

namespace proclab {

const std::vector<MeasuredValue>* MeasuredValues::Find(const std::string& name) const {
  auto it = by_name.find(name);
  return it == by_name.end() || it->second.empty() ? nullptr : &it->second;
}

namespace {

// The whole capture must be a finite number ("1.5", "-3", "2e-3").
std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

MeasuredValues CollectValues(const Scenario& s, const Names& names) {
  MeasuredValues out;
  struct Compiled {
    const Measure* measure;
    std::optional<Regex> re;
  };
  std::vector<Compiled> measures;
  for (const auto& m : s.measures) {
    out.by_name[m.name];  // declared: present, perhaps empty
    if (m.pattern.empty()) continue;
    measures.push_back({&m, ExpandPattern(m.pattern, names)});
  }
  const auto& events = names.timeline().events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.type == EventType::kValue) {
      out.by_name[e.name].push_back({e.value, e.t_us, e.pid, i});
      continue;
    }
    if (e.type != EventType::kOutput) continue;
    for (const auto& c : measures) {
      if (!c.re || !WrittenBy(e, i, c.measure->by, std::nullopt, names)) continue;
      auto text = c.re->Capture(e.text, "value");
      if (!text) continue;
      if (auto v = ParseNumber(*text))
        out.by_name[c.measure->name].push_back({*v, e.t_us, e.pid, i});
      else
        out.unreadable[c.measure->name].emplace_back(i, *text);
    }
  }
  return out;
}

std::optional<double> Statistic(const std::vector<MeasuredValue>& values, const std::string& stat) {
  if (stat == "count") return static_cast<double>(values.size());
  if (values.empty()) return std::nullopt;
  std::vector<double> v;
  v.reserve(values.size());
  for (const auto& x : values) v.push_back(x.value);
  if (stat == "last" || stat.empty()) return v.back();
  if (stat == "min") return *std::min_element(v.begin(), v.end());
  if (stat == "max") return *std::max_element(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  if (stat == "sum") return sum;
  if (stat == "mean") return sum / static_cast<double>(v.size());
  if (stat == "median") {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  return std::nullopt;
}

std::string FormatNumber(double v) { return fmt::format("{:.6g}", v); }

std::string DescribeValue(const Names& names, const MeasuredValue& v) {
  return fmt::format("{} by {} at {}s", FormatNumber(v.value), names.Label(v.pid),
                     FormatSeconds(v.t_us));
}

std::string WhyNoValue(const Scenario& s, const Names& names, const MeasuredValues& values,
                       const std::string& name) {
  auto bad = values.unreadable.find(name);
  if (bad != values.unreadable.end() && !bad->second.empty()) {
    const auto& [index, text] = bad->second.front();
    return fmt::format(
        "no value was measured for '{}': {} line{} matched, but the group 'value' held no "
        "number (first: '{}' by {} at {}s)",
        name, bad->second.size(), bad->second.size() == 1 ? "" : "s", text,
        names.Label(names.timeline().events()[index].pid),
        FormatSeconds(names.timeline().events()[index].t_us));
  }
  std::vector<const Measure*> declared;
  for (const auto& m : s.measures)
    if (m.name == name) declared.push_back(&m);
  size_t lines = 0;
  for (const auto& e : names.timeline().events())
    if (e.type == EventType::kOutput) ++lines;
  if (declared.empty())
    return fmt::format(
        "no value was measured for '{}': no measure: declares it and no actor "
        "recorded it (lab.measure)",
        name);
  std::string how;
  for (const Measure* m : declared) {
    if (!how.empty()) how += "; ";
    if (m->pattern.empty()) {
      how += "declared for lab.measure, which no actor called with it";
    } else {
      how += fmt::format("no line{} matched '{}'", m->by.empty() ? "" : " by " + m->by, m->pattern);
      if (!m->by.empty() && names.ResolveRecords(m->by).empty())
        how += fmt::format(" (no process was ever called '{}')", m->by);
    }
  }
  return fmt::format(
      "no value was measured for '{}' ({} at {}:{}): {}; the run printed {} "
      "line{}",
      name, "measure", declared.front()->loc.file, declared.front()->loc.line, how, lines,
      lines == 1 ? "" : "s");
}

}  // namespace proclab
