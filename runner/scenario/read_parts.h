// The pieces of the scenario reader, one file each: actors' actions, steps,
// expectations, roles. Each throws doc::LoadError on a mistake.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/scenario/doc.h"
#include "runner/scenario/reader.h"
#include "runner/scenario/scenario.h"

namespace proclab::doc {

std::vector<Action> ReadActions(const Reader& r, const DocNode& node);
std::vector<Step> ReadSteps(const Reader& r, const DocNode& node);
// The names `value` and `compare` may use: those `measure:` declares, or
// any (`any`) where Lua actors record names at run time.
struct MeasuredNames {
  std::vector<std::string> names;
  bool any = false;
};
std::vector<Expectation> ReadExpectations(const Reader& r, const DocNode& node,
                                          const MeasuredNames& measured = {});
// `measure:`, one mapping or a list of them (read_values.cc).
std::vector<Measure> ReadMeasures(const Reader& r, const DocNode& node);
// The fields of `value`, `compare` and `sections` (read_values.cc).
void ReadValue(const Reader& r, Map& m, Expectation* e, const MeasuredNames& names);
void ReadCompare(const Reader& r, Map& m, Expectation* e, const MeasuredNames& names);
// `compare: "LEFT OP RIGHT"`, the same in one string.
void ReadCompareText(const Reader& r, const DocNode& v, Expectation* e, const MeasuredNames& names);
void ReadSections(const Reader& r, Map& m, Expectation* e);
// `stream: stdout|stderr` of a step or an expectation, when given.
std::optional<Stream> ReadStream(const Reader& r, Map& m);
// `count: 3`, `count: {min: 2, max: 5}`.
IntRange ReadRange(const Reader& r, const DocNode& v, const std::string& what);
// The fields of a `files:` expectation (read_files.cc), from its mapping.
void ReadFiles(const Reader& r, Map& m, Expectation* e);
// The fields of `cpu`, `parallelism` and `rss` (read_resources.cc).
void ReadResources(const Reader& r, Map& m, Expectation* e);
// A number field that may be arithmetic on `cpus` (with a unit of time when
// `seconds`); a mistake points at its column.
NumberExpr ReadNumberExpr(const Reader& r, const DocNode& v, const std::string& what, bool seconds);
// The statistics across repeats of a timing expectation (read_stats.cc):
// `median`, `mean`, `p90`, and `min`/`max` when their value is a mapping
// ({min?, max?}), each bound in the syntax of the kind's own bounds.
enum class StatSyntax { kDuration, kCpuTime, kRatio, kSize };
std::vector<StatBound> ReadStatBounds(const Reader& r, Map& m, const std::string& tag,
                                      StatSyntax syntax);
// `min`/`max` as the kind's own per-run bound: nullptr when absent or when
// it is a statistic (a mapping).
const DocNode* PerRunBound(Map& m, const char* key);
std::vector<Role> ReadRoles(const Reader& r, const DocNode& node);
// The whole scenario from its top-level mapping, without ValidateScenario.
Scenario ReadScenario(const Reader& r, const DocNode& doc, const std::string& path);

}  // namespace proclab::doc
