#include "runner/timeline/usage.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace proclab {

using nlohmann::json;

json UsageToJson(const Usage& u) {
  json j = {{"user_us", u.user_us},
            {"system_us", u.system_us},
            {"cpu_us", u.cpu_us()},
            {"max_rss_kb", u.max_rss_kb},
            {"voluntary_switches", u.voluntary_switches},
            {"involuntary_switches", u.involuntary_switches},
            {"minor_faults", u.minor_faults},
            {"major_faults", u.major_faults},
            {"last_cpu", u.last_cpu}};
  if (u.max_rss_with_children) j["max_rss_with_children"] = true;
  if (!u.threads.empty()) {
    json threads = json::array();
    for (const auto& t : u.threads)
      threads.push_back({{"tid", t.tid}, {"cpu_us", t.cpu_us}, {"last_cpu", t.last_cpu}});
    j["threads"] = threads;
  }
  if (!u.widened_to.empty()) j["widened_to"] = u.widened_to;
  return j;
}

Usage UsageFromJson(const json& j) {
  Usage u;
  u.user_us = j.value("user_us", int64_t{0});
  u.system_us = j.value("system_us", int64_t{0});
  u.max_rss_kb = j.value("max_rss_kb", int64_t{0});
  u.max_rss_with_children = j.value("max_rss_with_children", false);
  u.voluntary_switches = j.value("voluntary_switches", int64_t{0});
  u.involuntary_switches = j.value("involuntary_switches", int64_t{0});
  u.minor_faults = j.value("minor_faults", int64_t{0});
  u.major_faults = j.value("major_faults", int64_t{0});
  u.last_cpu = j.value("last_cpu", -1);
  for (const auto& t : j.value("threads", json::array()))
    u.threads.push_back(
        {t.value("tid", 0), t.value("cpu_us", int64_t{0}), t.value("last_cpu", -1)});
  u.widened_to = j.value("widened_to", "");
  return u;
}

json CpuReadingsToJson(const std::vector<CpuReading>& r) {
  json a = json::array();
  for (const auto& c : r) a.push_back({{"pid", c.pid}, {"cpu_us", c.cpu_us}});
  return a;
}

std::vector<CpuReading> CpuReadingsFromJson(const json& j) {
  std::vector<CpuReading> out;
  if (!j.is_array()) return out;
  for (const auto& c : j) out.push_back({c.value("pid", 0), c.value("cpu_us", int64_t{0})});
  return out;
}

std::string FormatCpuList(const std::vector<int>& cpus) {
  std::vector<int> s = cpus;
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t k = i;
    while (k + 1 < s.size() && s[k + 1] == s[k] + 1) ++k;
    if (!out.empty()) out += ',';
    out += k == i ? fmt::format("{}", s[i]) : fmt::format("{}-{}", s[i], s[k]);
    i = k + 1;
  }
  return out;
}

std::optional<std::vector<int>> ParseCpuList(const std::string& text) {
  std::vector<int> out;
  size_t i = 0;
  auto number = [&](int* v) {
    const size_t start = i;
    long n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > 4095) return false;
      ++i;
    }
    *v = static_cast<int>(n);
    return i > start;
  };
  while (i < text.size()) {
    int a = 0, b = 0;
    if (!number(&a)) return std::nullopt;
    b = a;
    if (i < text.size() && text[i] == '-') {
      ++i;
      if (!number(&b) || b < a) return std::nullopt;
    }
    for (int c = a; c <= b; ++c) out.push_back(c);
    if (i < text.size()) {
      if (text[i] != ',') return std::nullopt;
      ++i;
      if (i == text.size()) return std::nullopt;
    }
  }
  if (out.empty()) return std::nullopt;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace proclab
