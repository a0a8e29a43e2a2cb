// JUnit XML, as CI systems read it: one testcase per run, the failure's
// explanation in its body. Written with pugixml, which escapes what must be.
#include <fmt/format.h>

#include <pugixml.hpp>
#include <sstream>

#include "reports/reporters.h"
#include "runner/results/repeat_stats.h"

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

// Every expectation with what really happened, as the console explains a
// failure: the run's explanation, for passes too.
std::string JunitExplanation(const ScenarioResult& r) {
  std::string out;
  if (!r.error.empty()) out += r.error + "\n";
  for (const auto& st : r.failed_steps) out += st.message + "\n";
  if (!r.roles_note.empty()) out += r.roles_note + "\n";
  for (const auto& v : r.verdicts) {
    out += fmt::format("{} {}{}\n", v.passed ? "✓" : "✗", v.expectation,
                       v.loc.line ? fmt::format(" ({}:{})", v.loc.file, v.loc.line) : "");
    if (!v.explanation.empty()) out += "    " + v.explanation + "\n";
  }
  return out;
}

// CI systems group test cases by class: the scenario's path in the suite,
// dotted and without its extension ("signals/zombie.yaml" →
// "signals.zombie"), the same on every machine.
std::string ClassName(const std::string& suite_path, const std::string& file) {
  std::string path = suite_path.empty() ? file.substr(file.rfind('/') + 1) : suite_path;
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot != std::string::npos && dot > 0 && (slash == std::string::npos || dot > slash + 1))
    path.resize(dot);
  for (char& c : path)
    if (c == '/') c = '.';
  return path;
}

// XML 1.0 cannot carry most control characters, even escaped.
std::string XmlSafe(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    out += (c < 0x20 && c != '\n' && c != '\t' && c != '\r') ? '?' : static_cast<char>(c);
  return out;
}

// The <testsuite> header needs the totals, which are known only at the end:
// testcases go to a scratch file as they finish and are copied in after the
// header, so memory holds one testcase at a time.
class Junit : public ResultSink {
 public:
  Junit(std::unique_ptr<ReportFile> file, const ArtifactLinks* links)
      : file_(std::move(file)), links_(links), cases_(tmpfile()) {}
  ~Junit() override {
    if (cases_) fclose(cases_);
  }

  void OnResult(const ScenarioResult& r) override {
    ++tests_;
    failures_ += !r.passed;
    seconds_ += r.wall_us / 1e6;
    pugi::xml_document doc;
    auto tc = doc.append_child("testcase");
    tc.append_attribute("name") = XmlSafe(r.DisplayName()).c_str();
    tc.append_attribute("classname") = XmlSafe(ClassName(r.path, r.file)).c_str();
    tc.append_attribute("time") = fmt::format("{:.3f}", r.wall_us / 1e6).c_str();
    if (!r.passed) {
      auto f = tc.append_child("failure");
      f.append_attribute("message") = XmlSafe(r.Reason()).c_str();
      f.append_attribute("type") = r.cancelled       ? "cancelled"
                                   : r.error.empty() ? "expectation"
                                                     : "error";
      f.append_child(pugi::node_pcdata).set_value(XmlSafe(Details(r)).c_str());
    }
    // Jenkins (junit-attachments) and GitLab read [[ATTACHMENT|path]] lines
    // in a test case's output.
    std::string out = JunitExplanation(r);
    if (const std::string file = links_ ? links_->For(r) : ""; !file.empty())
      out += fmt::format("[[ATTACHMENT|{}]]\n", file);
    if (!out.empty())
      tc.append_child("system-out").append_child(pugi::node_pcdata).set_value(XmlSafe(out).c_str());
    Spool(doc);
  }

  // A statistic across repeats is a test case of its own, in its
  // scenario's class: it fails the suite as a run does.
  void OnAcrossRuns(const AcrossRuns& a) override {
    ++tests_;
    failures_ += !a.passed;
    pugi::xml_document doc;
    auto tc = doc.append_child("testcase");
    tc.append_attribute("name") = XmlSafe(a.DisplayName()).c_str();
    tc.append_attribute("classname") = XmlSafe(ClassName(a.path, a.file)).c_str();
    tc.append_attribute("time") = "0";
    const std::string where =
        a.loc.line ? fmt::format(" ({}:{})", a.loc.file, a.loc.line) : std::string();
    if (!a.passed) {
      auto f = tc.append_child("failure");
      f.append_attribute("message") = XmlSafe(a.expectation + ": " + a.explanation).c_str();
      f.append_attribute("type") = "across-repeats";
      f.append_child(pugi::node_pcdata)
          .set_value(XmlSafe(a.expectation + where + "\n  " + a.explanation + "\n").c_str());
    }
    tc.append_child("system-out")
        .append_child(pugi::node_pcdata)
        .set_value(XmlSafe(fmt::format("{} {}{}\n    {}\n", a.passed ? "✓" : "✗", a.expectation,
                                       where, a.explanation))
                       .c_str());
    Spool(doc);
  }

 private:
  void Spool(const pugi::xml_document& doc) {
    // Unindented: indentation inside a failure's text would change the text.
    std::ostringstream text;
    doc.save(text, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
    const std::string indented = "    " + text.str() + "\n";
    if (!cases_ || fwrite(indented.data(), 1, indented.size(), cases_) != indented.size())
      unspooled_ += indented;
  }

 public:
  void OnEnd(const SuiteSummary& s) override {
    file_->Write(
        fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                    "  <testsuite name=\"proclab\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                    tests_, failures_, seconds_));
    // Interrupted: the runs never made are named by count, so a partial
    // report cannot pass for a whole one.
    if (s.interrupted)
      file_->Write(
          fmt::format("    <properties>\n      <property name=\"proclab.interrupted\" "
                      "value=\"{} of {} runs not made\"/>\n    </properties>\n",
                      s.planned - s.runs, s.planned));
    if (cases_) {
      rewind(cases_);
      char buf[65536];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, cases_)) > 0) file_->Write(std::string(buf, n));
    }
    file_->Write(unspooled_);
    file_->Write("  </testsuite>\n</testsuites>\n");
    file_->Flush();
  }

 private:
  std::unique_ptr<ReportFile> file_;
  const ArtifactLinks* links_;
  FILE* cases_;            // the testcases so far (nullptr: no scratch file could be made)
  std::string unspooled_;  // testcases the scratch file could not take
  int tests_ = 0;
  int failures_ = 0;
  double seconds_ = 0;
};

}  // namespace

std::unique_ptr<ResultSink> MakeJunitReporter(std::unique_ptr<ReportFile> file,
                                              const ArtifactLinks* links) {
  return std::make_unique<Junit>(std::move(file), links);
}

}  // namespace proclab
