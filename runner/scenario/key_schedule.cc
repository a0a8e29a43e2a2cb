#include "runner/scenario/key_schedule.h"

#include <fmt/format.h>

#include <algorithm>

#include "runner/base/diagnostic.h"
#include "runner/base/units.h"

namespace proclab {
namespace {

std::string KeyList() {
  std::string out;
  const auto& names = KeyNames();
  for (size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

Result<std::vector<TimedKey>> ParseKeySchedule(std::string_view text) {
  std::vector<TimedKey> keys;
  if (Trim(text).empty()) return Error("no keys given (write TIME:KEY, e.g. 1s:ctrl-c)");
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    const std::string_view entry = Trim(text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (entry.empty())
      return Error("an empty entry (a comma too many?): write TIME:KEY, e.g. 1s:ctrl-c");
    const size_t colon = entry.find(':');
    if (colon == std::string_view::npos)
      return Error(fmt::format("'{}' is not TIME:KEY (e.g. 1s:ctrl-c)", entry));
    const std::string time(Trim(entry.substr(0, colon)));
    const std::string key(Trim(entry.substr(colon + 1)));
    auto us = ParseDurationUs(time);
    if (!us)
      return Error(
          fmt::format("'{}': the time '{}' is not a duration such as 300ms or 1.5s", entry, time));
    const auto& names = KeyNames();
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      const std::string near = ClosestMatch(key, names);
      return Error(fmt::format("'{}': '{}' is not a key (write {}){}", entry, key, KeyList(),
                               near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
    }
    if (!keys.empty() && *us < keys.back().at_us)
      return Error(
          fmt::format("'{}' comes before {} (the key listed ahead of it): list the keys "
                      "in time order",
                      entry, FormatDuration(keys.back().at_us)));
    keys.push_back({*us, key});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return keys;
}

std::vector<Step> KeySteps(const std::vector<TimedKey>& keys) {
  std::vector<Step> steps;
  int64_t at = 0;
  for (const TimedKey& k : keys) {
    Step sleep;
    sleep.kind = Step::Kind::kSleep;
    sleep.us = k.at_us - at;
    steps.push_back(sleep);
    Step key;
    key.kind = Step::Kind::kKey;
    key.key = k.key;
    steps.push_back(key);
    at = k.at_us;
  }
  return steps;
}

}  // namespace proclab
