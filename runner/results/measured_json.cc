#include "runner/results/measured_json.h"

namespace proclab {
namespace {

using nlohmann::json;

json OptionalNumber(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

std::optional<double> NumberOf(const json& x) {
  if (x.is_null()) return std::nullopt;
  return x.get<double>();  // throws when it is not a number
}

}  // namespace

json MeasuredToJson(const Measured& m) {
  json stats = json::array();
  for (const auto& st : m.stats)
    stats.push_back({{"stat", st.stat},
                     {"min", OptionalNumber(st.min)},
                     {"max", OptionalNumber(st.max)},
                     {"written", st.written}});
  return {{"value", OptionalNumber(m.value)}, {"unit", m.unit}, {"stats", stats}};
}

Measured MeasuredFromJson(const json& j) {
  Measured m;
  m.value = NumberOf(j.at("value"));
  m.unit = j.at("unit").get<std::string>();
  for (const auto& st : j.at("stats").get_ref<const json::array_t&>())
    m.stats.push_back({st.at("stat").get<std::string>(), NumberOf(st.at("min")),
                       NumberOf(st.at("max")), st.at("written").get<std::string>()});
  return m;
}

}  // namespace proclab
