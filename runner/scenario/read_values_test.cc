// measure:, value, compare and sections as the YAML loader reads them, and
// their mistakes with file:line:column.
#include <gtest/gtest.h>

#include "runner/scenario/yaml_front_end.h"

namespace proclab {
namespace {

Result<Scenario> LoadValues(const std::string& rest) {
  return ParseYamlScenario("scenario: x\nprogram: [a]\n" + rest, "x.yaml");
}

TEST(ValueExpectations, AreReadWithTheirMeasures) {
  auto r = LoadValues(R"Y(measure:
  - {name: serial_cpu, match: "serial (?<value>[0-9.]+)", by: main}
  - {name: threads_cpu, match: "threads (?<value>[0-9.]+)"}
expect:
  - value: {name: serial_cpu, min: 0.1, max: 2 * cpus}
  - value: {name: threads_cpu, stat: median, max: 3}
  - compare: {left: threads_cpu, op: ">", right: 0.9 * serial_cpu}
  - sections: {enter: "^enter", leave: "^leave", by: main, max_inside: 2}
)Y");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->measures.size(), 2u);
  EXPECT_EQ(r->measures[0].by, "main");
  EXPECT_EQ(r->expectations[0].value->name, "serial_cpu");
  EXPECT_EQ(r->expectations[1].value->stat, "median");
  EXPECT_EQ(r->expectations[2].compare->right.series(), std::vector<std::string>{"serial_cpu"});
  EXPECT_EQ(r->expectations[2].Describe(),
            "compare: {left: 'threads_cpu', op: \">\", right: '0.9 * serial_cpu'}");
  EXPECT_EQ(r->expectations[3].sections->max_inside, 2);
  // One mapping is a list of one.
  auto one = LoadValues("measure: {name: w, match: 'w (?<value>\\d+)'}\n");
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_EQ(one->measures.size(), 1u);
}

TEST(ValueExpectations, CompareMayBeOneString) {
  auto r = LoadValues(
      "measure: [{name: serial, match: 's (?<value>.*)'}, {name: threads, match: 't "
      "(?<value>.*)'}]\nexpect:\n  - compare: \"threads >= 0.9 * median(serial)\"\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const CompareCheck& c = *r->expectations[0].compare;
  EXPECT_EQ(c.left.text(), "threads");
  EXPECT_EQ(c.op, ">=");
  EXPECT_EQ(c.right.text(), "0.9 * median(serial)");
  // A mistake in the right side points at its column in the string: 'thread'
  // is at column 28; as for every number field, a quoted value is reported
  // one column early (the node starts at its quote).
  r = LoadValues(
      "measure: {name: serial, match: 's (?<value>.*)'}\nexpect:\n"
      "  - compare: \"serial < 2 * thread\"\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.line, 5);
  EXPECT_EQ(r.error().loc.column, 27) << r.error().message;
  EXPECT_NE(r.error().message.find("compare: the right side '2 * thread': 'thread' is not"),
            std::string::npos)
      << r.error().message;
  r = LoadValues(
      "measure: {name: serial, match: 's (?<value>.*)'}\nexpect:\n  - compare: serial = 2\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'=' is not a comparison; write =="), std::string::npos);
  r = LoadValues(
      "measure: {name: serial, match: 's (?<value>.*)'}\nexpect:\n  - compare: serial\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("has no comparison"), std::string::npos);
}

TEST(ValueExpectations, MistakesPointAtTheirColumn) {
  // A pattern without the group `value`.
  auto r = LoadValues("measure:\n  - {name: cpu_s, match: \"cpu ([0-9.]+)\"}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.line, 4);
  EXPECT_EQ(r.error().loc.column, 26);
  EXPECT_NE(r.error().message.find("has no group named 'value'"), std::string::npos);
  // An invalid one.
  r = LoadValues("measure:\n  - {name: cpu_s, match: \"cpu (?<value>[0-9.]+\"}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.column, 26);
  EXPECT_NE(r.error().message.find("invalid regular expression"), std::string::npos);
  // A name no measure declares, in value and in compare (at its column).
  r = LoadValues("expect:\n  - value: {name: wait, max: 1}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.line, 4);
  EXPECT_EQ(r.error().loc.column, 19);
  EXPECT_NE(r.error().message.find("'wait' is never measured (no measure: declares any)"),
            std::string::npos)
      << r.error().message;
  r = LoadValues(
      "measure: {name: serial, match: 's (?<value>.*)'}\nexpect:\n"
      "  - compare: {left: 2 * threads, op: '<', right: serial}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.line, 5);
  EXPECT_EQ(r.error().loc.column, 25) << r.error().message;
  EXPECT_NE(r.error().message.find(
                "'threads' is not a number, cpus, or a name declared by measure: (serial)"),
            std::string::npos)
      << r.error().message;
  r = LoadValues(
      "measure: {name: serial, match: 's (?<value>.*)'}\nexpect:\n"
      "  - compare: {left: serial, op: '=<', right: 1}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("compare.op must be"), std::string::npos);
  r = LoadValues("expect:\n  - compare: {left: 1, op: '<', right: cpus}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("neither side names a measured value"), std::string::npos);
  r = LoadValues("measure: {name: 2x, match: '(?<value>.)'}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("one word of letters"), std::string::npos);
  r = LoadValues("measure: {name: median, match: '(?<value>.)'}\n");
  ASSERT_FALSE(r.ok());
  r = LoadValues("expect:\n  - sections: {enter: a, leave: b, by: nobody}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("sections.by: no actor or role is called 'nobody'"),
            std::string::npos)
      << r.error().message;
  r = LoadValues("expect:\n  - sections: {enter: a, leave: b, max_inside: 0}\n");
  ASSERT_FALSE(r.ok());
  r = LoadValues("measure: {name: a, match: '(?<value>.)', by: nobody}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("measure.by"), std::string::npos);
  r = LoadValues("measure: {name: a, match: '(?<value>.)'}\nexpect:\n  - value: {name: a}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("value needs min and/or max"), std::string::npos);
}

}  // namespace
}  // namespace proclab
