#include "runner/grade/gradebook.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace proclab {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Num(double x) {
  std::string s = fmt::format("{:.2f}", x);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Students see what was checked, never the code that checks it.
std::string ForStudents(const std::string& expectation) {
  if (expectation.starts_with("lua:") || expectation.starts_with("(the function"))
    return "a scripted check";
  return expectation;
}

// Later lines of a multi-line explanation (the output tail, a note) stay
// inside their list item.
std::string Indented(const std::string& text, const std::string& pad) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

// A timeout, with what each process was stuck in when the lab could see it.
std::string TimeoutText(const RunScore& c) {
  if (c.timeout_explanation.empty())
    return "The program did not finish in time; what was left was stopped.";
  return fmt::format("Timeout: {}.", c.timeout_explanation);
}

std::string Flags(const std::set<std::string>& flags) {
  return fmt::format("{}", fmt::join(flags, " "));
}

}  // namespace

Gradebook::Gradebook(const GradeConfig& config,
                     std::vector<std::pair<std::string, double>> scenarios, RepeatPolicy policy)
    : config_(config), scenarios_(std::move(scenarios)), policy_(policy) {}

SubmissionGrade* Gradebook::Find(const std::string& name) {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &subs_[it->second];
}

ScenarioGrade* Gradebook::FindScenario(const std::string& subject, const std::string& scenario) {
  SubmissionGrade* s = Find(subject);
  if (!s) return nullptr;
  for (auto& g : s->scenarios)
    if (g.scenario == scenario) return &g;
  return nullptr;
}

void Gradebook::AddSubmission(const std::string& name, const std::string& entry,
                              const std::string& problem, const std::string& build_log) {
  SubmissionGrade s;
  s.name = name;
  s.entry = entry;
  s.problem = problem;
  s.build_log = build_log;
  for (const auto& [scenario, points] : scenarios_) {
    ScenarioGrade g;
    g.scenario = scenario;
    g.hidden = config_.Hidden(scenario);
    g.max = points;
    s.scenarios.push_back(std::move(g));
  }
  if (!problem.empty())
    s.flags.insert(!build_log.empty()                               ? "build-failed"
                   : problem.starts_with("the archive was refused") ? "refused"
                                                                    : "no-entry");
  index_[name] = subs_.size();
  subs_.push_back(std::move(s));
}

RunRecord Gradebook::AddRun(const ScenarioResult& r) {
  ScenarioGrade* g = FindScenario(r.subject, r.scenario);
  if (!g) return {};
  RunRecord record = RecordRun(r, g->max);
  AddRecord(r.subject, r.scenario, record);
  return record;
}

void Gradebook::AddRecord(const std::string& subject, const std::string& scenario,
                          const RunRecord& record) {
  ScenarioGrade* g = FindScenario(subject, scenario);
  if (!g) return;
  g->runs.push_back(record.score);
  g->flags.insert(record.flags.begin(), record.flags.end());
  if (g->notes.empty()) g->notes = record.notes;
}

void Gradebook::Finish() {
  for (auto& s : subs_) {
    s.score = 0;
    s.max = 0;
    for (auto& g : s.scenarios) {
      g.folded = FoldRepeats(g.runs, policy_);
      if (g.runs.empty()) g.folded.chosen.max = g.max;
      if (g.folded.flaky()) g.flags.insert("flaky");
      s.score += g.folded.chosen.score;
      s.max += std::max(g.max, g.folded.chosen.max);
      s.flags.insert(g.flags.begin(), g.flags.end());
    }
    s.score = RoundTo(s.score, config_.rounding);
  }
}

std::string Gradebook::GradesCsv() const {
  std::string out = "submission,score,max_score";
  for (const auto& [scenario, points] : scenarios_) out += "," + CsvField(scenario);
  out += ",flags\n";
  for (const auto& s : subs_) {
    out += fmt::format("{},{},{}", CsvField(s.name), Num(s.score), Num(s.max));
    for (const auto& g : s.scenarios) out += "," + Num(g.folded.chosen.score);
    out += "," + CsvField(Flags(s.flags)) + "\n";
  }
  return out;
}

std::string Gradebook::ResultsJson() const {
  json subs = json::array();
  for (const auto& s : subs_) {
    json scenarios = json::array();
    for (const auto& g : s.scenarios) {
      json items = json::array();
      for (const auto& i : g.folded.chosen.items)
        items.push_back({{"expectation", i.expectation},
                         {"passed", i.passed},
                         {"points", i.points},
                         {"earned", i.earned},
                         {"explanation", i.explanation}});
      scenarios.push_back({{"scenario", g.scenario},
                           {"hidden", g.hidden},
                           {"score", g.folded.chosen.score},
                           {"max_score", std::max(g.max, g.folded.chosen.max)},
                           {"runs", g.folded.runs},
                           {"passed_runs", g.folded.passed},
                           {"error", g.folded.chosen.error},
                           {"items", items},
                           {"roles", g.folded.chosen.roles},
                           {"notes", g.notes},
                           {"flags", g.flags}});
    }
    subs.push_back({{"submission", s.name},
                    {"entry", s.entry},
                    {"problem", s.problem},
                    {"build_log", s.build_log},
                    {"score", s.score},
                    {"max_score", s.max},
                    {"flags", s.flags},
                    {"scenarios", scenarios}});
  }
  return json{{"proclab_grades", 1}, {"submissions", subs}}.dump(2, ' ', false,
                                                                 json::error_handler_t::replace) +
         "\n";
}

std::string Gradebook::Feedback(const SubmissionGrade& s) const {
  std::string out = fmt::format("# {}\n\nScore: **{} / {}**\n", s.name, Num(s.score), Num(s.max));
  if (!s.entry.empty()) out += fmt::format("\nGraded file: `{}`\n", s.entry);
  if (!s.problem.empty()) {
    out += fmt::format("\nNothing could be run: {}\n", s.problem);
    if (!s.build_log.empty()) out += fmt::format("\n```\n{}\n```\n", s.build_log);
    return out;
  }
  for (const auto& g : s.scenarios) {
    const RunScore& c = g.folded.chosen;
    const double max = std::max(g.max, c.max);
    const bool full = c.score + 1e-9 >= max;
    out += fmt::format("\n## {} {} — {} / {}{}\n", full ? "✓" : "✗", g.scenario, Num(c.score),
                       Num(max), g.hidden ? " (hidden test)" : "");
    if (g.folded.flaky())
      out += fmt::format("\nPassed {} of {} runs: the result depends on timing (a race?).\n",
                         g.folded.passed, g.folded.runs);
    if (g.hidden) continue;
    if (!c.error.empty()) out += fmt::format("\n{}\n", c.error);
    if (c.timeout) out += "\n" + TimeoutText(c) + "\n";
    if (!c.items.empty()) out += "\n";
    for (const auto& i : c.items) {
      out += fmt::format("- {} {} ({} / {})\n", i.passed ? "✓" : "✗", ForStudents(i.expectation),
                         Num(i.earned), Num(i.points));
      if (!i.passed) out += fmt::format("  - {}\n", Indented(i.explanation, "    "));
    }
    // With alternative role assignments, the names above depend on the one
    // chosen: a conductor that is the parent is judged as such.
    if (!c.roles.empty()) out += fmt::format("\nRoles: {}.\n", c.roles);
    for (const auto& n : g.notes) out += fmt::format("\n```\n{}\n```\n", n);
  }
  return out;
}

std::string Gradebook::Summary() const {
  std::string out = "# Grading summary\n\n";
  if (subs_.empty()) return out + "No submissions.\n";
  std::vector<double> scores;
  double max = 0;
  for (const auto& s : subs_) {
    scores.push_back(s.score);
    max = std::max(max, s.max);
  }
  std::sort(scores.begin(), scores.end());
  double mean = 0;
  for (double x : scores) mean += x;
  mean /= static_cast<double>(scores.size());
  out += fmt::format("{} submissions, out of {} points: mean {}, median {}.\n\n", subs_.size(),
                     Num(max), Num(mean), Num(scores[(scores.size() - 1) / 2]));
  out += "## Scores\n\n| score | submissions | |\n|---|---|---|\n";
  const int buckets = 10;
  std::vector<int> counts(buckets, 0);
  for (double x : scores)
    ++counts[static_cast<size_t>(
        std::clamp(max > 0 ? static_cast<int>(x / max * buckets) : 0, 0, buckets - 1))];
  for (int b = buckets - 1; b >= 0; --b)
    out +=
        fmt::format("| {}–{}% | {} | {} |\n", b * 10, b * 10 + 10, counts[static_cast<size_t>(b)],
                    std::string(static_cast<size_t>(counts[static_cast<size_t>(b)]), '#'));

  // Each expectation's failures, with the explanation given most often.
  struct Failures {
    int failed = 0, judged = 0;
    std::map<std::string, int> why;
  };
  std::map<std::pair<std::string, std::string>, Failures> rates;
  std::map<std::string, std::vector<std::string>> groups;  // failed set -> submissions
  for (const auto& s : subs_) {
    std::vector<std::string> failed;
    if (!s.problem.empty())
      failed.push_back(s.flags.count("build-failed") ? "build failed" : "no entry file");
    for (const auto& g : s.scenarios)
      for (const auto& i : g.folded.chosen.items) {
        auto& f = rates[{g.scenario, i.expectation}];
        ++f.judged;
        if (i.passed) continue;
        ++f.failed;
        ++f.why[i.explanation];
        failed.push_back(fmt::format("{}: {}", g.scenario, i.expectation));
      }
    groups[fmt::format("{}", fmt::join(failed, "\n"))].push_back(s.name);
  }
  std::vector<std::pair<std::pair<std::string, std::string>, Failures>> sorted(rates.begin(),
                                                                               rates.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second.failed > b.second.failed; });
  out +=
      "\n## Expectations, most failed first\n\n| scenario | expectation | failed | most common "
      "explanation |\n|---|---|---|---|\n";
  for (const auto& [key, f] : sorted) {
    std::string why;
    int best = 0;
    for (const auto& [text, n] : f.why)
      if (n > best) best = n, why = text;
    auto cell = [](std::string s) {
      for (char& c : s)
        if (c == '|' || c == '\n') c = ' ';
      return s;
    };
    out += fmt::format("| {} | {} | {} of {} | {} |\n", cell(key.first), cell(key.second), f.failed,
                       f.judged, cell(why));
  }
  out += "\n## Submissions that failed the same way\n";
  std::vector<std::pair<std::string, std::vector<std::string>>> by_size(groups.begin(),
                                                                        groups.end());
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  for (const auto& [failed, names] : by_size) {
    out += fmt::format("\n### {} submission{}: {}\n\n", names.size(), names.size() == 1 ? "" : "s",
                       fmt::join(names, ", "));
    if (failed.empty()) {
      out += "Everything held.\n";
      continue;
    }
    size_t start = 0;
    while (start <= failed.size()) {
      size_t end = failed.find('\n', start);
      if (end == std::string::npos) end = failed.size();
      out += fmt::format("- {}\n", failed.substr(start, end - start));
      start = end + 1;
    }
  }
  return out;
}

namespace {

std::string Base64(const std::string& in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) n |= uint8_t(in[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// One scenario's part of a student's feedback, as plain text.
std::string ScenarioText(const ScenarioGrade& g) {
  const RunScore& c = g.folded.chosen;
  std::string out;
  if (g.folded.flaky())
    out += fmt::format("Passed {} of {} runs: the result depends on timing (a race?).\n",
                       g.folded.passed, g.folded.runs);
  if (!c.error.empty()) out += c.error + "\n";
  if (c.timeout) out += TimeoutText(c) + "\n";
  for (const auto& i : c.items) {
    out += fmt::format("{} {} ({} / {})\n", i.passed ? "✓" : "✗", ForStudents(i.expectation),
                       Num(i.earned), Num(i.points));
    if (!i.passed) out += fmt::format("    {}\n", Indented(i.explanation, "    "));
  }
  if (!c.roles.empty()) out += fmt::format("Roles: {}.\n", c.roles);
  for (const auto& n : g.notes) out += n + "\n";
  return out;
}

}  // namespace

std::string Gradebook::GradescopeJson(const SubmissionGrade& s) const {
  json tests = json::array();
  for (const auto& g : s.scenarios) {
    const double max = std::max(g.max, g.folded.chosen.max);
    tests.push_back({{"name", g.scenario},
                     {"score", g.folded.chosen.score},
                     {"max_score", max},
                     {"status", g.folded.chosen.score + 1e-9 >= max ? "passed" : "failed"},
                     {"output", ScenarioText(g)},
                     {"visibility", g.hidden ? "after_published" : "visible"}});
  }
  json out = {{"score", s.score},
              {"output", s.problem.empty()
                             ? fmt::format("Graded file: {}", s.entry)
                             : fmt::format("Nothing could be run: {}\n{}", s.problem, s.build_log)},
              {"visibility", "visible"},
              {"stdout_visibility", "hidden"},
              {"tests", tests}};
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string Gradebook::ClassroomPayload(const SubmissionGrade& s) const {
  json tests = json::array();
  bool all = s.problem.empty();
  for (const auto& g : s.scenarios) {
    const double max = std::max(g.max, g.folded.chosen.max);
    const bool passed = g.folded.chosen.score + 1e-9 >= max;
    all = all && passed;
    tests.push_back({{"name", g.scenario},
                     {"status", passed ? "pass" : "fail"},
                     {"score", g.folded.chosen.score},
                     {"message", g.hidden ? "hidden test" : ScenarioText(g)},
                     {"test_code", ""},
                     {"filename", ""},
                     {"line_no", 0},
                     {"execution_time", ""}});
  }
  json out = {
      {"version", 1}, {"status", all ? "pass" : "fail"}, {"max_score", s.max}, {"tests", tests}};
  return Base64(out.dump(-1, ' ', false, json::error_handler_t::replace));
}

Status Gradebook::WriteAll(const std::string& dir) const {
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto write = [&](const fs::path& path, const std::string& text) -> Status {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!(f << text)) return Error(fmt::format("cannot write {}", path.string()));
    return {};
  };
  if (Status st = write(fs::path(dir) / "grades.csv", GradesCsv()); !st) return st;
  if (Status st = write(fs::path(dir) / "results.json", ResultsJson()); !st) return st;
  if (Status st = write(fs::path(dir) / "summary.md", Summary()); !st) return st;
  for (const auto& s : subs_) {
    fs::create_directories(fs::path(dir) / s.name, ec);
    if (Status st = write(fs::path(dir) / s.name / "feedback.md", Feedback(s)); !st) return st;
  }
  return {};
}

}  // namespace proclab
