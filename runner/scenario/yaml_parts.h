// The pieces of the YAML loader, one file each: actors' actions, steps,
// expectations, roles. Each throws yaml::LoadError on a mistake.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "runner/scenario/scenario.h"
#include "runner/scenario/yaml_reader.h"

namespace proclab::yaml {

std::vector<Action> ReadActions(const Reader& r, const YAML::Node& node);
std::vector<Step> ReadSteps(const Reader& r, const YAML::Node& node);
std::vector<Expectation> ReadExpectations(const Reader& r, const YAML::Node& node);
std::vector<Role> ReadRoles(const Reader& r, const YAML::Node& node);
OrderItem ParseOrderItem(const Reader& r, const YAML::Node& node);
// The whole scenario from its top-level mapping, without ValidateScenario.
Scenario ReadScenario(const Reader& r, const YAML::Node& doc, const std::string& path);

}  // namespace proclab::yaml
