#include "runner/grade/run_record.h"

#include "runner/results/measured_json.h"

#include <fmt/format.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

namespace proclab {
using nlohmann::json;

std::vector<std::string> CrashNotes(const Timeline& t) {
  std::map<pid_t, std::deque<std::string>> tails;  // last stderr lines per pid (current holder)
  std::vector<std::string> notes;
  const auto processes = t.Processes();
  for (const Event& e : t.events()) {
    if (e.type == EventType::kOutput && e.stream == Stream::kStderr) {
      auto& tail = tails[e.pid];
      std::string line = e.text;
      while (!line.empty() && line.back() == '\n') line.pop_back();
      tail.push_back(line);
      if (tail.size() > 8) tail.pop_front();
    }
  }
  // The run's private copy is an accident of grading: students know their
  // files by their own names.
  static const std::regex workdir(R"(/tmp/proclab-work-\d+-\d+/)");
  for (const auto& p : processes) {
    if (!p.exit || p.killed_by_lab) continue;
    // Killed by a signal it did not get from the lab, or a non-zero exit of
    // the program itself or of a process that said why on stderr. A helper's
    // silent status (grep's 1 for "no match" in a shell script) is an answer,
    // not a crash.
    if (!p.exit->signaled && p.exit->code == 0) continue;
    if (!p.exit->signaled && p.pid != t.main_pid && !tails.contains(p.pid)) continue;
    std::string note = fmt::format("{} (pid {}) ended: {}", p.actor.empty() ? p.name : p.actor,
                                   p.pid, p.exit->Describe());
    auto it = tails.find(p.pid);
    if (it != tails.end() && !it->second.empty()) {
      note += "; the last lines it wrote on stderr:";
      for (const auto& l : it->second) note += "\n    " + std::regex_replace(l, workdir, "");
    }
    notes.push_back(std::move(note));
    if (notes.size() >= 3) break;
  }
  return notes;
}

RunRecord RecordRun(const ScenarioResult& r, double max) {
  RunRecord out;
  out.score = ScoreRun(r, max);
  if (out.score.timeout) out.flags.insert("timeout");
  for (const Event& e : r.timeline.events())
    if (e.type == EventType::kLimit && e.kind != "timeout") out.flags.insert("limit");
  out.notes = CrashNotes(r.timeline);
  if (!out.notes.empty()) out.flags.insert("crashed");
  if (!r.error.empty() && out.notes.empty()) out.notes.push_back(r.error);
  return out;
}

namespace {

// Text as JSON: a string when it is UTF-8, else {"hex": "…"}.
json Text(const std::string& s) {
  try {
    (void)json(s).dump();  // throws on invalid UTF-8
    return s;
  } catch (const json::type_error&) {
    std::string hex;
    for (unsigned char c : s) hex += fmt::format("{:02x}", c);
    return json{{"hex", hex}};
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  throw std::runtime_error("not hex");
}

// Reading throws (json::exception on a missing field or a wrong type); the
// caller turns it into an Error.
std::string TextOf(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  const std::string hex = j.at("hex").get<std::string>();
  if (hex.size() % 2 != 0) throw std::runtime_error("odd hex");
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2)
    out += static_cast<char>(HexDigit(hex[i]) * 16 + HexDigit(hex[i + 1]));
  return out;
}

json Texts(const std::vector<std::string>& v) {
  json out = json::array();
  for (const auto& s : v) out.push_back(Text(s));
  return out;
}

template <class Out>
void TextsOf(const json& j, Out& out) {
  for (const auto& x : j.get_ref<const json::array_t&>()) out.insert(out.end(), TextOf(x));
}

json ScoreJson(const RunScore& s) {
  json items = json::array();
  for (const auto& i : s.items)
    items.push_back({{"expectation", Text(i.expectation)},
                     {"explanation", Text(i.explanation)},
                     {"passed", i.passed},
                     {"points", i.points},
                     {"earned", i.earned}});
  for (size_t k = 0; k < s.items.size(); ++k)
    if (s.items[k].measured) items[k]["measured"] = MeasuredToJson(*s.items[k].measured);
  return {{"score", s.score},     {"max", s.max},
          {"items", items},       {"error", Text(s.error)},
          {"timeout", s.timeout}, {"timeout_explanation", Text(s.timeout_explanation)},
          {"passed", s.passed},   {"roles", Text(s.roles)}};
}

RunScore ScoreOf(const json& j) {
  RunScore s;
  s.score = j.at("score").get<double>();
  s.max = j.at("max").get<double>();
  for (const auto& i : j.at("items").get_ref<const json::array_t&>())
    s.items.push_back({TextOf(i.at("expectation")), TextOf(i.at("explanation")),
                       i.at("passed").get<bool>(), i.at("points").get<double>(),
                       i.at("earned").get<double>(),
                       i.contains("measured") ? std::optional(MeasuredFromJson(i.at("measured")))
                                              : std::nullopt});
  s.error = TextOf(j.at("error"));
  s.timeout = j.at("timeout").get<bool>();
  s.timeout_explanation = TextOf(j.at("timeout_explanation"));
  s.passed = j.at("passed").get<bool>();
  s.roles = TextOf(j.at("roles"));
  return s;
}

}  // namespace

std::string EncodeRecords(const std::vector<RunRecord>& records) {
  json runs = json::array();
  for (const auto& r : records)
    runs.push_back({{"score", ScoreJson(r.score)},
                    {"flags", Texts({r.flags.begin(), r.flags.end()})},
                    {"notes", Texts(r.notes)}});
  return json{{"runs", runs}}.dump();
}

Result<std::vector<RunRecord>> DecodeRecords(const std::string& text) {
  try {
    const json j = json::parse(text);
    std::vector<RunRecord> out;
    for (const auto& run : j.at("runs").get_ref<const json::array_t&>()) {
      RunRecord r;
      r.score = ScoreOf(run.at("score"));
      TextsOf(run.at("flags"), r.flags);
      TextsOf(run.at("notes"), r.notes);
      out.push_back(std::move(r));
    }
    if (out.empty()) return Error("no runs");
    return out;
  } catch (const std::exception& e) {  // json::exception, bad hex
    return Error(e.what());
  }
}

std::string EncodeBuild(const BuildRecord& build) {
  return json{{"entry", Text(build.entry)},
              {"problem", Text(build.problem)},
              {"build_log", Text(build.build_log)}}
      .dump();
}

Result<BuildRecord> DecodeBuild(const std::string& text) {
  try {
    const json j = json::parse(text);
    return BuildRecord{TextOf(j.at("entry")), TextOf(j.at("problem")), TextOf(j.at("build_log"))};
  } catch (const std::exception& e) {  // json::exception, bad hex
    return Error(e.what());
  }
}

}  // namespace proclab
