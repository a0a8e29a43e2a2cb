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
std::vector<Role> ReadRoles(const Reader& r, const DocNode& node);
// The whole scenario from its top-level mapping, without ValidateScenario.
Scenario ReadScenario(const Reader& r, const DocNode& doc, const std::string& path);

}  // namespace proclab::doc
