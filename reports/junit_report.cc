// JUnit XML, as CI systems read it: one testcase per run, the failure's
// explanation in its body. Written with pugixml, which escapes what must be.
#include <fmt/format.h>

#include <pugixml.hpp>
#include <sstream>

#include "reports/reporters.h"

namespace proclab {
namespace {

std::string Details(const ScenarioResult& r) {
  std::string out;
  if (!r.error.empty()) out += r.error + "\n";
  for (const auto& st : r.failed_steps) out += st.message + "\n";
  for (const auto& v : r.verdicts) {
    if (v.passed) continue;
    out += fmt::format("{}{}\n  {}\n", v.expectation,
                       v.loc.line ? fmt::format(" ({}:{})", v.loc.file, v.loc.line) : "",
                       v.explanation);
  }
  return out;
}

// XML 1.0 cannot carry most control characters, even escaped.
std::string XmlSafe(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    out += (c < 0x20 && c != '\n' && c != '\t' && c != '\r') ? '?' : static_cast<char>(c);
  return out;
}

class Junit : public ResultSink {
 public:
  explicit Junit(std::string path) : path_(std::move(path)) {}
  void OnResult(const ScenarioResult&) override {}
  void OnEnd(const std::vector<ScenarioResult>& all, bool) override {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto suites = doc.append_child("testsuites");
    auto suite = suites.append_child("testsuite");
    int failures = 0;
    double seconds = 0;
    for (const auto& r : all) {
      failures += !r.passed;
      seconds += r.wall_us / 1e6;
      auto tc = suite.append_child("testcase");
      std::string name = r.scenario->name + (r.attempt ? fmt::format(" #{}", r.attempt + 1) : "");
      tc.append_attribute("name") = XmlSafe(name).c_str();
      tc.append_attribute("classname") = XmlSafe(r.scenario->file).c_str();
      tc.append_attribute("time") = fmt::format("{:.3f}", r.wall_us / 1e6).c_str();
      if (!r.passed) {
        auto f = tc.append_child("failure");
        f.append_attribute("message") = XmlSafe(r.Reason()).c_str();
        f.append_attribute("type") = r.error.empty() ? "expectation" : "error";
        f.append_child(pugi::node_pcdata).set_value(XmlSafe(Details(r)).c_str());
      }
    }
    suite.prepend_attribute("time") = fmt::format("{:.3f}", seconds).c_str();
    suite.prepend_attribute("failures") = failures;
    suite.prepend_attribute("tests") = static_cast<int>(all.size());
    suite.prepend_attribute("name") = "proclab";
    std::ostringstream text;
    doc.save(text, "  ");
    WriteReportFile(path_, text.str());
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<ResultSink> MakeJunitReporter(const std::string& path) {
  return std::make_unique<Junit>(path);
}

}  // namespace proclab
