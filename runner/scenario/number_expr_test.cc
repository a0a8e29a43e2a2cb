#include "runner/scenario/number_expr.h"

#include <gtest/gtest.h>

#include <cmath>

#include "runner/scenario/yaml_front_end.h"

namespace proclab {
namespace {

double Eval(const std::string& text, double cpus, bool seconds = false) {
  NumberExpr::ParseError err;
  auto e = NumberExpr::Parse(text, {seconds, {"cpus"}}, &err);
  EXPECT_TRUE(e) << text << ": " << err.message;
  return e ? e->Eval([&](const std::string&) { return cpus; }) : -1;
}

NumberExpr::ParseError Mistake(const std::string& text, bool seconds = false) {
  NumberExpr::ParseError err;
  auto e = NumberExpr::Parse(text, {seconds, {"cpus"}}, &err);
  EXPECT_FALSE(e) << text << " parsed";
  return err;
}

TEST(NumberExpr, ArithmeticOnCpus) {
  EXPECT_DOUBLE_EQ(Eval("2", 8), 2);
  EXPECT_DOUBLE_EQ(Eval("0.8 * cpus", 2), 1.6);
  EXPECT_DOUBLE_EQ(Eval("0.8*cpus", 64), 51.2);
  EXPECT_DOUBLE_EQ(Eval("(cpus - 1) / 2 + 1", 5), 3);
  EXPECT_DOUBLE_EQ(Eval("1 + 2 * 3", 0), 7) << "precedence";
  EXPECT_DOUBLE_EQ(Eval("-cpus + 3", 2), 1);
  EXPECT_DOUBLE_EQ(Eval(" .5 ", 0), 0.5);
  EXPECT_DOUBLE_EQ(Eval("0.5s * cpus", 4, true), 2);
  EXPECT_DOUBLE_EQ(Eval("1500ms + 1m", 0, true), 61.5);
  EXPECT_TRUE(std::isnan(Eval("1 / (cpus - 2)", 2)));
}

TEST(NumberExpr, MistakesSayWhatAndWhere) {
  auto e = Mistake("0.8 * cpu");
  EXPECT_EQ(e.at, 6u);
  EXPECT_NE(e.message.find("'cpu' is not a number or a known name (cpus)"), std::string::npos);
  e = Mistake("(1 + 2");
  EXPECT_NE(e.message.find("'(' at column 1 is not closed"), std::string::npos);
  e = Mistake("2 cpus");
  EXPECT_EQ(e.at, 2u);
  EXPECT_NE(e.message.find("expected an operator"), std::string::npos);
  e = Mistake("1.5s");
  EXPECT_NE(e.message.find("a unit does not go here"), std::string::npos) << e.message;
  e = Mistake("1.5q", true);
  EXPECT_NE(e.message.find("'q' is not a unit of time"), std::string::npos);
  e = Mistake("");
  EXPECT_NE(e.message.find("is empty"), std::string::npos);
  e = Mistake("1 +");
  EXPECT_NE(e.message.find("ends too early"), std::string::npos);
  e = Mistake("1..2");
  EXPECT_NE(e.message.find("'1..2' is not a number"), std::string::npos);
  e = Mistake(std::string(100, '(') + "1" + std::string(100, ')'));
  EXPECT_NE(e.message.find("nested too deeply"), std::string::npos);
}

TEST(ResourceExpectations, AreReadWithTheirBoundsAndWindows) {
  constexpr std::string_view kText = R"(scenario: gil
program: [python3, gil.py]
cpus: 2
exclusive: true
expect:
  - cpu: {process: main, min: 0.5s * cpus, children: true}
  - parallelism: {from: 'output "threads"', to: 'output "processes"', max: 1.3}
  - parallelism: {min: 0.7 * cpus}
  - rss: {process: main, max: 64MiB}
)";
  Result<Scenario> r = ParseYamlScenario(kText, "gil.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->cpus, 2);
  EXPECT_TRUE(r->exclusive);
  EXPECT_TRUE(r->RunsAlone());
  EXPECT_TRUE(r->NeedsCpuReadings());
  ASSERT_EQ(r->expectations.size(), 4u);
  const auto& cpu = *r->expectations[0].resources;
  EXPECT_TRUE(cpu.children);
  EXPECT_EQ(cpu.min->text(), "0.5s * cpus");
  EXPECT_EQ(r->expectations[0].Describe(),
            "cpu: {process: main, min: 0.5s * cpus, children: true}");
  const auto& window = *r->expectations[1].resources;
  EXPECT_EQ(window.from->text, "output \"threads\"");
  EXPECT_EQ(window.to->text, "output \"processes\"");
  EXPECT_EQ(r->expectations[3].resources->max_rss_kb, 64 * 1024);
}

TEST(ResourceExpectations, MistakesPointAtTheirColumn) {
  auto load = [](const std::string& expect) {
    return ParseYamlScenario("scenario: x\nprogram: [a]\nexpect:\n" + expect, "x.yaml");
  };
  auto r = load("  - parallelism: {min: 0.7 * cpu}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.line, 4);
  EXPECT_EQ(r.error().loc.column, 30) << r.error().message;
  EXPECT_NE(r.error().message.find("'cpu' is not a number"), std::string::npos);
  r = load("  - cpu: {max: 2}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("has no unit"), std::string::npos) << r.error().message;
  r = load("  - cpu: {children: true, max: 2s}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("children goes with process"), std::string::npos);
  r = load("  - parallelism: {from: 'exit nobody', min: 1}\n");
  ASSERT_FALSE(r.ok());
  r = load("  - rss: {process: main}\n");
  ASSERT_FALSE(r.ok());
  r = load("  - parallelism: {}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("needs min and/or max"), std::string::npos);
  auto pinned = ParseYamlScenario("scenario: x\nprogram: [a]\ncpus: 0\n", "x.yaml");
  ASSERT_FALSE(pinned.ok());
  EXPECT_EQ(pinned.error().loc.line, 3);
}

}  // namespace
}  // namespace proclab

namespace proclab {
namespace {

// Measured names: a bare one is its last value, STAT(name) a statistic; the
// evaluator is asked for "x" or "median(x)".
TEST(NumberExpr, MeasuredNamesAndFunctions) {
  NumberExpr::Syntax syntax(false, {"cpus"});
  syntax.series = {"serial", "threads"};
  NumberExpr::ParseError err;
  auto e = NumberExpr::Parse("0.9 * serial + median(threads) - max(cpus, 3, 1)", syntax, &err);
  ASSERT_TRUE(e) << err.message;
  EXPECT_EQ(e->series(), (std::vector<std::string>{"serial", "threads"}));
  EXPECT_EQ(e->lookups(), (std::vector<std::string>{"serial", "median(threads)", "cpus"}));
  const double v = e->Eval([](const std::string& key) {
    if (key == "serial") return 10.0;
    if (key == "median(threads)") return 2.0;
    return 2.0;  // cpus
  });
  EXPECT_DOUBLE_EQ(v, 9 + 2 - 3);
  // min of one measured name is its smallest value; of numbers, the smaller.
  auto one = NumberExpr::Parse("min(serial)", syntax, &err);
  ASSERT_TRUE(one) << err.message;
  EXPECT_EQ(one->lookups(), (std::vector<std::string>{"min(serial)"}));
  auto two = NumberExpr::Parse("min(serial, 4)", syntax, &err);
  ASSERT_TRUE(two) << err.message;
  EXPECT_DOUBLE_EQ(two->Eval([](const std::string&) { return 7.0; }), 4);
  // Without measured names, min and max still take numbers.
  auto plain = NumberExpr::Parse("max(1, 0.5 * cpus)", {false, {"cpus"}}, &err);
  ASSERT_TRUE(plain) << err.message;
  EXPECT_DOUBLE_EQ(plain->Eval([](const std::string&) { return 4.0; }), 2);
}

TEST(NumberExpr, MeasuredNameMistakesSayWhere) {
  NumberExpr::Syntax syntax(false, {"cpus"});
  syntax.series = {"serial"};
  NumberExpr::ParseError err;
  EXPECT_FALSE(NumberExpr::Parse("serial > 1", syntax, &err));
  EXPECT_FALSE(NumberExpr::Parse("2 * thread", syntax, &err));
  EXPECT_EQ(err.at, 4u);
  EXPECT_NE(err.message.find("or a name declared by measure: (serial)"), std::string::npos)
      << err.message;
  EXPECT_FALSE(NumberExpr::Parse("median(3)", syntax, &err));
  EXPECT_EQ(err.at, 7u);
  EXPECT_NE(err.message.find("takes one measured name (serial)"), std::string::npos);
  EXPECT_FALSE(NumberExpr::Parse("min(2)", syntax, &err));
  EXPECT_NE(err.message.find("two or more numbers, or one measured name"), std::string::npos);
  EXPECT_FALSE(NumberExpr::Parse("max(1, 2", syntax, &err));
  EXPECT_NE(err.message.find("is not closed"), std::string::npos) << err.message;
  EXPECT_FALSE(NumberExpr::Parse("median", syntax, &err));
  EXPECT_NE(err.message.find("is a function"), std::string::npos) << err.message;
}

}  // namespace
}  // namespace proclab
