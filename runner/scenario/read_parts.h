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
std::vector<Expectation> ReadExpectations(const Reader& r, const DocNode& node);
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
